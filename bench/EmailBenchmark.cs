using System.CommandLine;
using System.Diagnostics;
using Notify.Client;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Postgres;

namespace Notify.Bench;

/// <summary>
/// E-mail through the gRPC API to postfix's smtp-sink, for the embedded and the Postgres profile, and in the same run
/// MailKit straight to the same sink with the same number of connections (the ceiling), with the ratio.
/// </summary>
public static class EmailBenchmark
{
    public static Command Command()
    {
        var messages = new Option<int>("--messages") { Description = "Messages in the peak run", DefaultValueFactory = _ => 20_000 };
        var connections = new Option<int>("--connections") { Description = "SMTP connections (raw baseline and cluster alike)", DefaultValueFactory = _ => 8 };
        var concurrency = new Option<int>("--concurrency") { Description = "gRPC calls in flight during the peak run", DefaultValueFactory = _ => 64 };
        var paced = new Option<int>("--paced-seconds") { Description = "Length of the run at half the peak rate", DefaultValueFactory = _ => 10 };
        var warmUp = new Option<int>("--warmup") { Description = "Messages sent first so the JIT has settled before the measured run", DefaultValueFactory = _ => 20_000 };
        var profiles = new Option<string[]>("--profiles") { Description = "Profiles to run: embedded, postgres, postgres-unbatched (group commit off)", DefaultValueFactory = _ => ["embedded", "postgres"], AllowMultipleArgumentsPerToken = true };
        var command = new Command("email", "E-mail throughput and latency: raw MailKit baseline versus the cluster's profiles")
        {
            messages, connections, concurrency, paced, warmUp, profiles,
        };
        command.SetAction(parse => RunAsync(
            parse.GetValue(messages), parse.GetValue(connections), parse.GetValue(concurrency), parse.GetValue(paced), parse.GetValue(warmUp), parse.GetValue(profiles)!));
        return command;
    }

    private static async Task RunAsync(int messages, int connections, int concurrency, int pacedSeconds, int warmUp, string[] profiles)
    {
        Console.WriteLine($"e-mail benchmark: {messages} messages, {connections} SMTP connections, {concurrency} gRPC calls in flight, {warmUp} warm-up, {Environment.ProcessorCount} cores");
        using var sink = await SmtpSink.StartAsync();
        await RawMailKitBaseline.MessagesPerSecondAsync(sink.Port, Math.Min(warmUp, messages), connections);
        var rawCpu = CpuMeter.Start();
        var raw = await RawMailKitBaseline.MessagesPerSecondAsync(sink.Port, messages, connections);
        Console.WriteLine($"  raw MailKit → smtp-sink: {raw,8:F0} msg/s, {rawCpu.MicrosecondsPer(messages):F0} µs of this process's CPU per message");

        foreach (var profile in profiles)
        {
            // postgres-unbatched: the Postgres profile with group commit off (one statement per record write, as before it).
            var storageProfile = profile.StartsWith("postgres", StringComparison.Ordinal) ? "postgres" : profile;
            await using var postgres = storageProfile == "postgres" ? await LocalPostgresInstance.CreateAndStartAsync(crashSafe: true, productionLike: true) : null;
            var connectionString = postgres is null ? null : postgres.AdminConnectionString.Replace("Pooling=False", "Pooling=True", StringComparison.OrdinalIgnoreCase);
            await using var host = await BenchHost.StartAsync(storageProfile, connectionString, new Dictionary<string, string?>(profile == "postgres-unbatched" ? Unbatched : [])
            {
                ["Channels:Email:Host"] = "127.0.0.1",
                ["Channels:Email:Port"] = sink.Port.ToString(),
                ["Channels:Email:From"] = "DevOps <notify@bench.local>",
                ["Channels:Email:MaxConnections"] = connections.ToString(),
            });

            // Long enough for tiered compilation to settle: with 5,000 the JIT still took a tenth of the measured run's CPU.
            var (warmedUp, warmUpMark) = (DateTimeOffset.UtcNow, host.FinalReceivers);
            await SendAsync(host, warmUp, concurrency);
            await host.WaitForDeliveredAsync(warmedUp, warmUpMark, warmUp, TimeSpan.FromMinutes(10));
            var cpu = CpuMeter.Start();
            var (writesBefore, peakClock) = (host.RecordWrites, Stopwatch.StartNew());
            var peak = await PeakAsync(host, messages, concurrency);
            var (writesAfter, peakSeconds) = (host.RecordWrites, peakClock.Elapsed.TotalSeconds);
            var cpuPerMessage = cpu.MicrosecondsPer(messages);
            var pacedAccept = await PacedAsync(host, peak.Rate / 2, pacedSeconds);
            using var process = Process.GetCurrentProcess();
            Console.WriteLine($"  {profile,-8} cluster: {peak.Rate,8:F0} msg/s ({peak.Rate / raw:P0} of raw, {peak.Rate / raw:F2}), {cpuPerMessage:F0} µs of this process's CPU per message (silo and load generator), accept {peak.Accept.Describe()}");
            Console.WriteLine($"           delivery (accept → SMTP accepted) {peak.Delivery.Describe()}");
            if (writesBefore is { } before && writesAfter is { } after)
            {
                var (statements, writes) = (after.Statements - before.Statements, after.Writes - before.Writes);
                Console.WriteLine($"           record store: {writes / (double)messages:F2} writes per message in {statements / (double)messages:F3} statements per message ({writes / (double)Math.Max(statements, 1):F1} writes per statement), {statements / peakSeconds:F0} statements/s, {writes / peakSeconds:F0} writes/s over the peak run");
            }
            Console.WriteLine($"           at half the peak rate ({peak.Rate / 2:F0} msg/s for {pacedSeconds} s): accept {pacedAccept.Describe()}");
            Console.WriteLine($"           process working set {process.WorkingSet64 / (1024 * 1024)} MiB, GC heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB (silo and load generator together)");
        }
    }

    private static readonly Dictionary<string, string?> Unbatched = new()
    {
        ["Notify:Records:GroupCommit:MaxBatchSize"] = "1",
        ["Notify:Records:GroupCommit:MaxDelay"] = "00:00:00",
        ["Notify:Records:GroupCommit:MaxConcurrentFlushes"] = "64",
    };

    private static async Task<(double Rate, LatencyStats Accept, LatencyStats Delivery)> PeakAsync(BenchHost host, int messages, int concurrency)
    {
        var (since, mark) = (DateTimeOffset.UtcNow, host.FinalReceivers);
        var accept = await SendAsync(host, messages, concurrency);
        var records = await host.WaitForDeliveredAsync(since, mark, messages, TimeSpan.FromMinutes(10));
        var delivered = records.SelectMany(r => r.Receivers.Where(o => o.Status == ReceiverStatus.Sent).Select(o => (r.CreatedAt, o.CompletedAt!.Value))).ToList();
        var first = records.Min(r => r.CreatedAt);
        var last = delivered.Max(d => d.Item2);
        return (delivered.Count / (last - first).TotalSeconds, accept, new LatencyStats(delivered.Select(d => d.Item2 - d.CreatedAt)));
    }

    private static Task<LatencyStats> SendAsync(BenchHost host, int messages, int concurrency) =>
        LatencyStats.MeasureAsync(messages, concurrency, i => host.Gateway.SendEmailAsync([$"user{i % 1000}@bench.local"], $"bench {i}", "the quick brown fox jumps over the lazy dog"));

    /// <summary>Sends at a fixed rate (launching what is due every 10 ms) and measures each call.</summary>
    private static async Task<LatencyStats> PacedAsync(BenchHost host, double rate, int seconds)
    {
        var total = (int)(rate * seconds);
        var latencies = new TimeSpan[total];
        var calls = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var launched = 0;
        while (launched < total && await timer.WaitForNextTickAsync())
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate));
            for (; launched < due; launched++)
            {
                var i = launched;
                calls.Add(Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    await host.Gateway.SendEmailAsync([$"paced{i % 1000}@bench.local"], $"paced {i}", "the quick brown fox jumps over the lazy dog");
                    latencies[i] = Stopwatch.GetElapsedTime(started);
                }));
            }
        }

        await Task.WhenAll(calls);
        return new LatencyStats(latencies);
    }
}
