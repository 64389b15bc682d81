using System.Globalization;
using System.Net;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// The libraries' own meters on <c>/metrics</c>: a host on the Postgres profile sending real SMTP through a rate limit,
/// so MailKit, Npgsql and the rate-limit wait all have something to report.
/// </summary>
public sealed class ProviderTelemetryTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_RateLimitedSmtpOnPostgres_ExportMailKitNpgsqlAndRateLimitWait()
    {
        await using var smtp = SmtpTestServer.Start();
        var cluster = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await NotifyTestHost.StartWithProvidersAsync(new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = await postgres.CreateDatabaseAsync("telemetry", Ct),
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:ServiceId"] = cluster,
            ["Channels:Email:Host"] = smtp.Host,
            ["Channels:Email:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Channels:Email:From"] = "notify@example.com",
            ["Channels:Email:RateLimit:Permits"] = "1000",
            ["Channels:Email:RateLimit:Period"] = "00:01:00",
        });

        var response = await host.Http.PostJsonAsync("/service/notify/email/send", """{"receivers":["metered@example.com"],"title":"t","body":"library meters"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await host.WaitForFinalAsync(response.Body.GetProperty("messageId").GetString()!);
        Assert.Equal(MessageStatus.Sent, record.Status);

        (string Name, string[] Labels)[] expected =
        [
            ("notify_rate_limit_wait_duration_seconds_bucket", ["channel=\"email\"", "provider=\"smtp\"", "le=\"0.001\""]),
            ("notify_provider_send_duration_seconds_bucket", ["channel=\"email\"", "provider=\"smtp\"", "outcome=\"sent\""]),
            ("mailkit_net_smtp_", []),
            ("mailkit_net_socket_", []),
            ("db_client_operation_duration_seconds_bucket", []),
        ];
        await Eventually.WaitAsync(
            async () =>
            {
                using var scrape = await host.Http.GetAsync("/metrics", Ct);
                return await scrape.Content.ReadAsStringAsync(Ct);
            },
            text => expected.All(e => HasSeries(text, e.Name, e.Labels)),
            TimeSpan.FromSeconds(15),
            text => $"/metrics lacks {string.Join(", ", expected.Where(e => !HasSeries(text, e.Name, e.Labels)).Select(e => e.Name))}");
    }

    private static bool HasSeries(string metrics, string name, string[] labels) =>
        metrics.Split('\n').Any(line => line.StartsWith(name, StringComparison.Ordinal) && labels.All(line.Contains));
}
