using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// deploy/monitoring's Grafana dashboard and Prometheus alert rules query only metrics a running silo exports: real
/// e-mail through a real SMTP server (delivered, refused, retried, answer lost), a suppressed, a blocked and a
/// cancelled message, then every metric name the two files name is looked up on <c>/metrics</c>.
/// </summary>
public sealed partial class MonitoringAssetsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MonitoringAssets_EveryQueriedMetric_IsOnMetricsOfARunningSilo()
    {
        var queried = QueriedMetrics();
        Assert.Contains("notify_receivers_failed_total", queried);
        Assert.Contains("notify_rate_limit_wait_duration_seconds_bucket", queried);
        await using var smtp = SmtpTestServer.Start();
        await using var host = await NotifyTestHost.StartWithProvidersAsync(new Dictionary<string, string?>
        {
            ["Channels:Email:Host"] = smtp.Host,
            ["Channels:Email:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Channels:Email:From"] = "notify@example.com",
            ["Channels:Email:RateLimit:Permits"] = "1000",
            ["Channels:Email:RateLimit:Period"] = "00:01:00",
        });

        await SendAndWaitAsync(host, "ok@example.com", "delivered", MessageStatus.Sent);
        smtp.Faults.RefuseRecipient("refused@example.com", 550);
        await SendAndWaitAsync(host, "refused@example.com", "refused", MessageStatus.Failed);
        smtp.Faults.FailData(451, times: 1);
        await SendAndWaitAsync(host, "later@example.com", "retried", MessageStatus.Sent);
        smtp.Faults.DropConnectionAfterData(times: 1);
        await SendAndWaitAsync(host, "lost@example.com", "answer lost", MessageStatus.Sent);
        await SendAndWaitAsync(host, "ok@example.com", "same content", MessageStatus.Sent, frequencyLimit: 10);
        await SendAndWaitAsync(host, "ok@example.com", "same content", MessageStatus.Suppressed, frequencyLimit: 10);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostJsonAsync("/op/notify/blacklist", """{"users":["blocked@example.com"]}""")).StatusCode);
        await SendAndWaitAsync(host, "blocked@example.com", "blocked", MessageStatus.Blocked);
        var delayed = await SendAsync(host, "delayed@example.com", "cancelled", delaySeconds: 600);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostJsonAsync($"/op/notify/messages/{delayed}/cancel", "{}")).StatusCode);

        var text = await Eventually.WaitAsync(
            async () =>
            {
                using var scrape = await host.Http.GetAsync("/metrics", Ct);
                return await scrape.Content.ReadAsStringAsync(Ct);
            },
            metrics => queried.All(name => Exported(metrics, name)),
            TimeSpan.FromSeconds(30),
            metrics => $"/metrics lacks {string.Join(", ", queried.Where(name => !Exported(metrics, name)))}; it began:\n{metrics[..Math.Min(metrics.Length, 600)]}");

        Assert.Contains("notify_messages_pending{", text);
        Assert.Contains("notify_action_instances{", text);
    }

    [Fact]
    public void MonitoringAssets_AlertRulesAndDashboard_CoverTheIssuesAlerts()
    {
        var rules = File.ReadAllText(RepositoryFiles.PathOf("deploy", "monitoring", "prometheus-alerts.yml"));

        Assert.Contains("alert: NotifyDeliveryFailureRatioHigh", rules);
        Assert.Contains("alert: NotifyQueueWaitHigh", rules);
        Assert.Contains("alert: NotifyNoSuccessfulSend", rules);
        Assert.Equal(6, RuleExpressions().Count());
        Assert.DoesNotContain('\t', rules);
        Assert.All(DashboardExpressions(), expression => Assert.Matches(MetricName(), expression));
    }

    private static async Task<string> SendAsync(NotifyTestHost host, string receiver, string body, int delaySeconds = 0, int frequencyLimit = 0)
    {
        var response = await host.Http.PostJsonAsync("/service/notify/email/send",
            $$"""{"receivers":["{{receiver}}"],"title":"monitoring","body":"{{body}}","delaySeconds":{{delaySeconds}},"frequencyLimit":{{frequencyLimit}}}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        return response.Body.GetProperty("messageId").GetString()!;
    }

    private static async Task SendAndWaitAsync(NotifyTestHost host, string receiver, string body, MessageStatus expected, int frequencyLimit = 0)
    {
        var record = await host.WaitForFinalAsync(await SendAsync(host, receiver, body, frequencyLimit: frequencyLimit));
        Assert.Equal(expected, record.Status);
    }

    /// <summary>Every metric name in the alert rules' and the dashboard's expressions.</summary>
    private static IReadOnlySet<string> QueriedMetrics() =>
        RuleExpressions().Concat(DashboardExpressions())
            .SelectMany(text => MetricName().Matches(text).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The rules' <c>expr:</c> values: one line, or the indented block after <c>expr: |</c>.</summary>
    private static IEnumerable<string> RuleExpressions()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("deploy", "monitoring", "prometheus-alerts.yml"));
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("expr:", StringComparison.Ordinal))
            {
                continue;
            }

            var value = trimmed["expr:".Length..].Trim();
            if (value != "|")
            {
                yield return value;
                continue;
            }

            var indent = lines[i].Length - trimmed.Length;
            var block = new List<string>();
            while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
            {
                block.Add(lines[++i].Trim());
            }

            yield return string.Join(' ', block);
        }
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("deploy", "monitoring", "grafana-dashboard.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
        expressions.Add(dashboard.RootElement.GetProperty("templating").GetProperty("list")[1].GetProperty("query").GetString()!);
        return expressions;
    }

    // A series line starts with the name, then its labels or its value.
    private static bool Exported(string metrics, string name) =>
        metrics.Split('\n').Any(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal));

    [GeneratedRegex(@"\bnotify_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
