using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Bench;

/// <summary>
/// An HTTP channel end to end: SMS through the CMSI transport to <see cref="CmsiSink"/> (Kestrel on loopback, in
/// this process), against raw <see cref="HttpClient"/> posting the same JSON to the same server over the same
/// number of connections. The cluster runs in this process on the embedded profile and takes the sends over gRPC.
/// </summary>
public static class HttpBenchmark
{
    public static Command Command()
    {
        var messages = new Option<int>("--messages") { Description = "Messages per measured run", DefaultValueFactory = _ => 20_000 };
        var connections = new Option<int>("--connections") { Description = "HTTP requests in flight to the provider (raw workers and the channel's MaxConcurrency alike)", DefaultValueFactory = _ => 8 };
        var concurrency = new Option<int>("--concurrency") { Description = "gRPC calls in flight", DefaultValueFactory = _ => 64 };
        var warmUp = new Option<int>("--warmup") { Description = "Messages sent first so the JIT has settled before the measured run", DefaultValueFactory = _ => 20_000 };
        var command = new Command("http", "SMS through the CMSI transport to a local provider, against raw HttpClient to the same server")
        {
            messages, connections, concurrency, warmUp,
        };
        command.SetAction(parse => RunAsync(parse.GetValue(messages), parse.GetValue(connections), parse.GetValue(concurrency), parse.GetValue(warmUp)));
        return command;
    }

    private static async Task RunAsync(int messages, int connections, int concurrency, int warmUp)
    {
        Console.WriteLine($"http benchmark: SMS over CMSI send_sms, {messages} messages, {connections} connections, {concurrency} gRPC calls in flight, {warmUp} warm-up, {Environment.ProcessorCount} cores");
        await using var sink = await CmsiSink.StartAsync();

        await RawAsync(sink, Math.Min(warmUp, messages), connections);
        var rawCpu = CpuMeter.Start();
        var raw = await RawAsync(sink, messages, connections);
        Console.WriteLine($"  raw HttpClient → provider: {raw,8:F0} msg/s, {rawCpu.MicrosecondsPer(messages):F0} µs of this process's CPU per message (provider included)");

        await using var host = await BenchHost.StartAsync("Embedded", null, new Dictionary<string, string?>
        {
            ["Channels:Sms:BaseUrl"] = sink.BaseUrl,
            ["Channels:Sms:AppCode"] = CmsiSink.AppCode,
            ["Channels:Sms:AppSecret"] = CmsiSink.AppSecret,
            ["Channels:Sms:MaxConcurrency"] = connections.ToString(),
        });
        var (warmedUp, warmUpMark) = (DateTimeOffset.UtcNow, host.FinalReceivers);
        await SendAsync(host, warmUp, concurrency);
        await host.WaitForDeliveredAsync(warmedUp, warmUpMark, warmUp, TimeSpan.FromMinutes(10));

        var cpu = CpuMeter.Start();
        var (since, mark) = (DateTimeOffset.UtcNow, host.FinalReceivers);
        var accept = await SendAsync(host, messages, concurrency);
        var records = await host.WaitForDeliveredAsync(since, mark, messages, TimeSpan.FromMinutes(10));
        var cpuPerMessage = cpu.MicrosecondsPer(messages);
        var delivered = records.SelectMany(r => r.Receivers.Where(o => o.Status == ReceiverStatus.Sent).Select(o => (r.CreatedAt, Completed: o.CompletedAt!.Value))).ToList();
        var wall = delivered.Max(d => d.Completed) - records.Min(r => r.CreatedAt);
        var rate = delivered.Count / wall.TotalSeconds;
        Console.WriteLine($"  embedded cluster: {rate,8:F0} msg/s ({rate / raw:F2} of raw), {cpuPerMessage:F0} µs of this process's CPU per message (silo, load generator and provider), accept {accept.Describe()}");
        Console.WriteLine($"           delivery (accept → provider answered) {new LatencyStats(delivered.Select(d => d.Completed - d.CreatedAt)).Describe()}; provider saw {sink.Requests} requests in all");
    }

    private static async Task<double> RawAsync(CmsiSink sink, int messages, int connections)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections });
        var uri = new Uri(sink.BaseUrl + CmsiSink.SendSmsPath.TrimStart('/'));
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages)
            {
                var body = new Dictionary<string, string>
                {
                    ["bk_app_code"] = CmsiSink.AppCode,
                    ["bk_app_secret"] = CmsiSink.AppSecret,
                    ["receiver"] = Phone(i),
                    ["content"] = $"bench {i}: the quick brown fox jumps over the lazy dog",
                };
                using var response = await client.PostAsJsonAsync(uri, body);
                var answer = await response.Content.ReadFromJsonAsync<CmsiSink.Answer>();
                if (answer is not { Result: true })
                {
                    throw new InvalidOperationException($"the provider answered {(int)response.StatusCode} without result:true");
                }
            }
        }));
        return messages / clock.Elapsed.TotalSeconds;
    }

    private static Task<LatencyStats> SendAsync(BenchHost host, int messages, int concurrency) =>
        LatencyStats.MeasureAsync(messages, concurrency, i => host.Gateway.SendAsync(new NotifyMessage
        {
            Channel = NotifyChannel.Sms,
            Receivers = [Phone(i)],
            Body = $"bench {i}: the quick brown fox jumps over the lazy dog",
        }));

    private static string Phone(int i) => $"138{i % 100_000_000:D8}";
}
