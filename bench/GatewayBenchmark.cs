using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Notify.Api.V1;
using Notify.Silo.Gateway.Security;
using Notify.Silo.Hosting;

namespace Notify.Bench;

/// <summary>
/// Gateway accept throughput and latency, gRPC and REST, with API-key authentication and rate limiting on: the real
/// host in this process (embedded profile, channels writing to the outbox folder, the embedded default), callers
/// on loopback keeping a fixed number of sends in flight. An accept is the gateway's answer: validated, durably
/// recorded (memory on this profile), delivery still to come.
/// </summary>
public static class GatewayBenchmark
{
    private const string BenchKey = "bench-key-6f1e2d3c4b5a69788796a5b4c3d2e1f0";

    public static Command Command()
    {
        var requests = new Option<int>("--requests") { Description = "Sends per surface in the measured run", DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Sends in flight at once", DefaultValueFactory = _ => 32 };
        var surface = new Option<string>("--surface") { Description = "grpc, rest, batch or all", DefaultValueFactory = _ => "all" };
        surface.AcceptOnlyFromAmong("grpc", "rest", "batch", "all");
        var batchSize = new Option<int>("--batch-size") { Description = "Messages per POST /service/notify/batch", DefaultValueFactory = _ => 100 };
        var connections = new Option<int>("--grpc-connections") { Description = "HTTP/2 connections the gRPC callers share (one GrpcChannel each)", DefaultValueFactory = _ => 1 };
        var command = new Command("gateway", "Accept throughput and p50/p99 latency of the gRPC, REST and batch gateway, API keys on") { requests, concurrency, surface, batchSize, connections };
        command.SetAction(async parse =>
        {
            var (count, inFlight, which) = (parse.GetValue(requests), parse.GetValue(concurrency), parse.GetValue(surface)!);
            var (perBatch, grpcConnections) = (parse.GetValue(batchSize), parse.GetValue(connections));
            var outbox = Path.Combine(Path.GetTempPath(), "notify-bench-outbox-" + Guid.NewGuid().ToString("N"));
            var (httpPort, grpcPort, siloPort, orleansPort) = (FreePort(), FreePort(), FreePort(), FreePort());
            var app = NotifyHost.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Gateway:HttpPort"] = $"{httpPort}",
                    ["Gateway:GrpcPort"] = $"{grpcPort}",
                    ["Silo:SiloPort"] = $"{siloPort}",
                    ["Silo:GatewayPort"] = $"{orleansPort}",
                    ["Notify:Outbox:Path"] = outbox,
                    ["Gateway:ApiKeys:bench:Hash"] = GatewayKeyRing.HashOf(BenchKey),
                    // High enough never to refuse: the limiter still runs on every request.
                    ["Gateway:ApiKeys:bench:PermitLimit"] = "1000000",
                });
                builder.Logging.ClearProviders();
            });
            await app.StartAsync();
            try
            {
                Console.WriteLine($"gateway accept, in-process host (embedded profile, outbox channel), API key auth and rate limiting on; {count} e-mails per surface, {inFlight} in flight, {Environment.ProcessorCount} cores");
                if (which is "grpc" or "all")
                {
                    var channels = Enumerable.Range(0, grpcConnections).Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}")).ToArray();
                    var senders = channels.Select(channel => new GrpcSender(channel)).ToArray();
                    Func<int, Task<bool>> grpc = i => senders[i % senders.Length].SendAsync(i);
                    await RunAsync(grpc, Math.Min(count, 1000), inFlight);
                    Report($"gRPC ({grpcConnections} connection{(grpcConnections == 1 ? "" : "s")})", await RunAsync(grpc, count, inFlight));
                    foreach (var channel in channels)
                    {
                        channel.Dispose();
                    }
                }

                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = inFlight }) { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
                http.DefaultRequestHeaders.Add("x-api-key", BenchKey);
                if (which is "batch" or "all")
                {
                    // Fewer calls in flight, each carrying perBatch messages: about as many messages in flight as above.
                    var batchesInFlight = Math.Max(1, inFlight / 8);
                    var batches = Math.Max(1, count / perBatch);
                    var entry = """{"channel":"email","receivers":["bench@example.com"],"title":"bench","body":"gateway benchmark"}""";
                    var json = $$"""{"messages":[{{string.Join(',', Enumerable.Repeat(entry, perBatch))}}]}""";
                    Func<int, Task<bool>> batch = async _ =>
                    {
                        using var content = new StringContent(json, Encoding.UTF8, "application/json");
                        using var response = await http.PostAsync("/service/notify/batch", content);
                        return response.StatusCode == HttpStatusCode.OK;
                    };
                    await RunAsync(batch, Math.Max(1, 1000 / perBatch), batchesInFlight);
                    var result = await RunAsync(batch, batches, batchesInFlight);
                    Console.WriteLine($"  batch ({perBatch} per call, {batchesInFlight} calls in flight): {result.PerSecond * perBatch:F0} accepts/s, per call {result.Latency.Describe()}, {result.Failures} calls failed");
                }

                if (which is "rest" or "all")
                {
                    Func<int, Task<bool>> rest = async i =>
                    {
                        using var content = new StringContent($$"""{"receivers":["bench@example.com"],"title":"bench {{i}}","body":"gateway benchmark"}""", Encoding.UTF8, "application/json");
                        using var response = await http.PostAsync("/service/notify/email/send", content);
                        return response.StatusCode == HttpStatusCode.OK;
                    };
                    await RunAsync(rest, Math.Min(count, 1000), inFlight);
                    Report("REST", await RunAsync(rest, count, inFlight));
                }
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
                if (Directory.Exists(outbox))
                {
                    Directory.Delete(outbox, recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary>Keeps <paramref name="inFlight"/> sends going until <paramref name="count"/> are answered.</summary>
    private static async Task<RunResult> RunAsync(Func<int, Task<bool>> send, int count, int inFlight)
    {
        var latencies = new TimeSpan[count];
        var failures = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await send(i);
                }
                catch (RpcException)
                {
                    ok = false;
                }

                latencies[i] = Stopwatch.GetElapsedTime(started);
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return new RunResult(count / clock.Elapsed.TotalSeconds, new LatencyStats(latencies), failures);
    }

    private static void Report(string surface, RunResult result) =>
        Console.WriteLine($"  {surface}: {result.PerSecond:F0} accepts/s, {result.Latency.Describe()}, {result.Failures} failed");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record RunResult(double PerSecond, LatencyStats Latency, int Failures);

    /// <summary>notify.v1.NotifyService/SendEmail over one HTTP/2 channel, with the key in the metadata.</summary>
    private sealed class GrpcSender(GrpcChannel channel)
    {
        private static readonly Method<SendEmailRequest, SendResponse> SendEmail = new(
            MethodType.Unary, NotifyService.Descriptor.FullName, "SendEmail",
            Marshallers.Create<SendEmailRequest>(m => m.ToByteArray(), SendEmailRequest.Parser.ParseFrom),
            Marshallers.Create<SendResponse>(m => m.ToByteArray(), SendResponse.Parser.ParseFrom));

        private readonly CallInvoker _invoker = channel.CreateCallInvoker();
        private readonly Metadata _key = new() { { "x-api-key", BenchKey } };

        public async Task<bool> SendAsync(int i)
        {
            var request = new SendEmailRequest { Title = $"bench {i}", Body = "gateway benchmark" };
            request.Receivers.Add("bench@example.com");
            var response = await _invoker.AsyncUnaryCall(SendEmail, null, new CallOptions(_key), request);
            return response.MessageId.Length > 0;
        }
    }
}
