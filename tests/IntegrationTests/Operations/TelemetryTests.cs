using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Notify.Api.V1;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// What operators see: the Notify counters and histograms on <c>/metrics</c> after real sends with every kind of
/// outcome, the health endpoints, and traces that join each message and attempt to the caller's trace.
/// </summary>
[Collection(MeterIsolationCollection.Name)]
public sealed class TelemetryTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task Metrics_AfterSendsWithEveryOutcome_ShowCountersByChannelAndReason()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var sms = Host.Transport(NotifyChannel.Sms);
        sms.Script("+8613900000001", ScriptedTransport.Permanent("provider rejected the number"));
        sms.Script("+8613900000002", ScriptedTransport.Transient("provider busy"));
        await Host.Http.PostJsonAsync("/op/notify/blacklist", $$"""{"users":["+8613900000003"]}""");

        string[] sends =
        [
            $$"""{"receivers":["+8613900000000"],"body":"ok {{run}}"}""",
            $$"""{"receivers":["+8613900000001"],"body":"fails {{run}}"}""",
            $$"""{"receivers":["+8613900000002"],"body":"retries {{run}}"}""",
            $$"""{"receivers":["+8613900000003"],"body":"blocked {{run}}"}""",
            $$"""{"receivers":["+8613900000004"],"body":"limited {{run}}","frequencyLimit":60}""",
            $$"""{"receivers":["+8613900000004"],"body":"limited {{run}}","frequencyLimit":60}""",
        ];
        foreach (var json in sends)
        {
            var response = await Host.Http.PostJsonAsync("/service/notify/sms/send", json);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Host.WaitForFinalAsync(response.Body.GetProperty("messageId").GetString()!);
        }

        // Series as Prometheus names them: name{labels} value; the exporter puts otel_scope_name first.
        (string Name, string[] Labels)[] expected =
        [
            ("notify_messages_accepted_total", ["channel=\"sms\""]),
            ("notify_receivers_sent_total", ["channel=\"sms\""]),
            ("notify_receivers_failed_total", ["channel=\"sms\"", "reason=\"permanent_failure\"", "error_type=\"permanent\""]),
            ("notify_receivers_retried_total", ["channel=\"sms\"", "reason=\"transient_failure\"", "error_type=\"transient\""]),
            ("notify_receivers_blocked_total", ["channel=\"sms\"", "reason=\"blacklisted\""]),
            ("notify_receivers_suppressed_total", ["channel=\"sms\"", "reason=\"frequency_limited\""]),
            ("notify_accept_duration_seconds_bucket", ["channel=\"sms\""]),
            ("notify_delivery_latency_seconds_bucket", ["channel=\"sms\""]),
            ("notify_provider_send_duration_seconds_bucket", ["channel=\"sms\"", "provider=\"scripted\"", "outcome=\"sent\""]),
            ("notify_provider_send_duration_seconds_bucket", ["channel=\"sms\"", "provider=\"scripted\"", "outcome=\"permanent\""]),
            ("notify_provider_send_duration_seconds_bucket", ["channel=\"sms\"", "provider=\"scripted\"", "outcome=\"transient\""]),
            ("orleans_", []),
        ];
        await Eventually.WaitAsync(ScrapeAsync, text => expected.All(e => HasSeries(text, e.Name, e.Labels)), TimeSpan.FromSeconds(15),
            text => $"/metrics lacks {string.Join(", ", expected.Where(e => !HasSeries(text, e.Name, e.Labels)).Select(e => e.Name))}");
    }

    [Fact]
    public async Task Metrics_AfterASend_DurationsInSecondsWithMillisecondBucketsAndGaugesPerChannel()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/email/send", """{"receivers":["buckets@example.com"],"title":"t","body":"histogram buckets"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Host.WaitForFinalAsync(response.Body.GetProperty("messageId").GetString()!);

        string[] histograms = ["notify_accept_duration_seconds", "notify_delivery_latency_seconds", "notify_provider_send_duration_seconds"];
        var metrics = await Eventually.WaitAsync(ScrapeAsync, text => histograms.All(h => HasSeries(text, h + "_count", ["channel=\"email\""])), TimeSpan.FromSeconds(15),
            text => $"/metrics lacks {string.Join(", ", histograms.Where(h => !HasSeries(text, h + "_count", ["channel=\"email\""])))} for e-mail");

        // Named in seconds (the exporter adds the unit as the suffix); millisecond sends need millisecond buckets: 1 ms
        // up to a minute, not the default 0, 5, 10, … seconds.
        string[] boundaries = ["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "+Inf"];
        foreach (var histogram in histograms)
        {
            Assert.Contains($"# TYPE {histogram} histogram", metrics);
            var buckets = Lines(metrics, histogram + "_bucket", "channel=\"email\"");
            Assert.All(boundaries, le => Assert.Contains(buckets, line => line.Contains($"le=\"{le}\"", StringComparison.Ordinal)));
            Assert.DoesNotContain(buckets, line => line.Contains("le=\"750\"", StringComparison.Ordinal));
        }

        Assert.DoesNotContain("notify_accept_duration_milliseconds", metrics);
        // The old per-silo up-down counters are gone; pending messages are counted from the records, by status. (Distinct:
        // a test process runs several hosts, and each host's exporter also sees the other hosts' "Notify" meters.)
        Assert.DoesNotContain("notify_messages_retrying", metrics);
        Assert.Contains("# TYPE notify_messages_pending gauge", metrics);
        Assert.Equal(["pending", "retrying", "sending"], Lines(metrics, "notify_messages_pending{", "status=").Select(line => line.Split("status=\"")[1].Split('"')[0]).Distinct().Order());

        // Gauges read from the channel sender's state: present (0 when idle) for every channel this silo has sent on.
        Assert.Contains("# TYPE notify_channel_queue_depth gauge", metrics);
        Assert.Single(Lines(metrics, "notify_channel_queue_depth{", "channel=\"email\""));
        Assert.Single(Lines(metrics, "notify_channel_sends_in_flight{", "channel=\"email\""));

        // The runtime's own meter is exported too (this host keeps its records in memory, so Npgsql's is silent).
        Assert.Contains("dotnet_gc_collections_total", metrics);
    }

    [Fact]
    public async Task HealthEndpoints_RunningSilo_AliveAndReady()
    {
        var healthz = await Host.Http.GetAsync("/healthz", Cancellation);
        var readyz = await Host.Http.GetAsync("/readyz", Cancellation);

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal("""{"status":"alive"}""", await healthz.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        using var ready = JsonDocument.Parse(await readyz.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("Healthy", ready.RootElement.GetProperty("status").GetString());
        var check = Assert.Single(ready.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("cluster", check.GetProperty("name").GetString());
        Assert.Contains("active; storage reachable", check.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Traces_RestSend_MessageAndAttemptJoinCallersTrace()
    {
        using var traces = new TraceRecorder();
        using var caller = TraceRecorder.Caller.StartActivity("caller.send")!;

        var response = await Host.Http.PostJsonAsync("/service/notify/email/send", """{"receivers":["traced@example.com"],"title":"t","body":"traced over REST"}""");
        var messageId = response.Body.GetProperty("messageId").GetString()!;
        await Host.WaitForFinalAsync(messageId);

        await traces.AssertJoinedAsync(caller.TraceId, messageId);
    }

    [Fact]
    public async Task Traces_GrpcSend_MessageAndAttemptJoinCallersTrace()
    {
        using var traces = new TraceRecorder();
        using var caller = TraceRecorder.Caller.StartActivity("caller.send")!;
        var send = new SendSmsRequest { Body = "traced over gRPC" };
        send.Receivers.Add("+8613900000099");

        var response = await new GrpcTestClient(Host.Grpc).CallAsync<SendSmsRequest, SendResponse>(NotifyService.Descriptor, "SendSms", send);
        await Host.WaitForFinalAsync(response.MessageId);

        await traces.AssertJoinedAsync(caller.TraceId, response.MessageId);
    }

    private static bool HasSeries(string metrics, string name, string[] labels) =>
        metrics.Split('\n').Any(line => line.StartsWith(name, StringComparison.Ordinal) && labels.All(line.Contains) && !line.EndsWith(" 0", StringComparison.Ordinal));

    private static string[] Lines(string metrics, string prefix, string label) =>
        metrics.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal)).ToArray();

    private async Task<string> ScrapeAsync()
    {
        using var response = await Host.Http.GetAsync("/metrics", Cancellation);
        return await response.Content.ReadAsStringAsync(Cancellation);
    }

    /// <summary>
    /// Records every finished activity of the Notify source and ASP.NET Core in this process. The test's own
    /// <see cref="Caller"/> activity is the caller's trace: HttpClient and gRPC propagate it as <c>traceparent</c>.
    /// </summary>
    private sealed class TraceRecorder : IDisposable
    {
        public static readonly ActivitySource Caller = new("Notify.Tests.Caller");

        private readonly ConcurrentQueue<Activity> _finished = new();
        private readonly ActivityListener _listener;

        public TraceRecorder()
        {
            _listener = new ActivityListener
            {
                // As the OTLP tracer does: Orleans' sources carry the trace across grain calls.
                ShouldListenTo = source => source.Name is "Notify" or "Microsoft.AspNetCore" or "Notify.Tests.Caller" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _finished.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>The incoming request, the message's acceptance and its delivery attempt are all in <paramref name="trace"/>.</summary>
        public async Task AssertJoinedAsync(ActivityTraceId trace, string messageId)
        {
            // The server's request activity stops after the response is written, which can be after the caller has
            // its answer and the message is final: on a busy machine, give it time.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!_finished.Any(a => a.TraceId == trace && a.Source.Name == "Microsoft.AspNetCore") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var inTrace = _finished.Where(a => a.TraceId == trace).ToArray();
            var names = string.Join(", ", inTrace.Select(a => $"{a.Source.Name}/{a.OperationName}"));
            Assert.Contains(inTrace, a => a.Source.Name == "Microsoft.AspNetCore");
            var accept = Assert.Single(inTrace, a => a.OperationName == "notify.accept" && (string?)a.GetTagItem("notify.message_id") == messageId);
            var attempt = Assert.Single(inTrace, a => a.OperationName == "notify.attempt" && (string?)a.GetTagItem("notify.message_id") == messageId);
            Assert.Equal(1, attempt.GetTagItem("notify.attempt"));
            Assert.True(accept.ParentSpanId != default, $"notify.accept has no parent; in the trace: {names}");
        }

        public void Dispose() => _listener.Dispose();
    }
}
