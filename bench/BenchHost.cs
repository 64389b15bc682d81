using System.Diagnostics.Metrics;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Client.Gateway;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Telemetry;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Hosting;
using Notify.Silo.Persistence;

namespace Notify.Bench;

/// <summary>The real silo process (<see cref="NotifyHost"/>) hosted in the benchmark, on free loopback ports, with a gRPC client.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly MeterListener _outcomes = new();
    private long _finalReceivers;

    private BenchHost(WebApplication app, int grpcPort)
    {
        _app = app;

        // Counting final receivers from the silo's own meter costs nothing per message, where polling the record
        // store (which the embedded profile scans whole) would bill the benchmark's waiting to the cluster.
        _outcomes.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NotifyMetrics.MeterName && instrument.Name is "notify.receivers.sent" or "notify.receivers.failed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _outcomes.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _finalReceivers, value));
        _outcomes.Start();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        Gateway = new NotifyGatewayClient(_channel);
    }

    /// <summary>The gRPC API, as a Go or Java caller would use it.</summary>
    public NotifyGatewayClient Gateway { get; }

    public IClusterClient Cluster => _app.Services.GetRequiredService<IClusterClient>();

    public static async Task<BenchHost> StartAsync(string profile, string? connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        var grpcPort = LoopbackPorts.Free();
        var configuration = new Dictionary<string, string?>(settings)
        {
            ["Notify:Profile"] = profile,
            ["ConnectionStrings:Notify"] = connectionString,
            ["Silo:SiloPort"] = LoopbackPorts.Free().ToString(),
            ["Silo:GatewayPort"] = LoopbackPorts.Free().ToString(),
            ["Gateway:HttpPort"] = LoopbackPorts.Free().ToString(),
            ["Gateway:GrpcPort"] = grpcPort.ToString(),
            ["Notify:Outbox:Path"] = Path.Combine(Path.GetTempPath(), "notify-bench-outbox"),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        var app = NotifyHost.Build([], builder => builder.Configuration.AddInMemoryCollection(configuration));
        await app.StartAsync();
        return new BenchHost(app, grpcPort);
    }

    /// <summary>The PostgreSQL record store's write statements and record writes so far; null on the embedded profile.</summary>
    public RecordWriteCounts? RecordWrites => _app.Services.GetService<PostgresMessageRecordStore>()?.WriteCounts;

    /// <summary>Receivers sent or failed for good on this silo so far.</summary>
    public long FinalReceivers => Interlocked.Read(ref _finalReceivers);

    /// <summary>
    /// Waits until <paramref name="expected"/> more receivers (one per benchmark message) are final than
    /// <paramref name="mark"/>, then until the records of every message created since <paramref name="since"/> say so;
    /// returns those records.
    /// </summary>
    public async Task<IReadOnlyList<MessageRecord>> WaitForDeliveredAsync(DateTimeOffset since, long mark, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (FinalReceivers - mark < expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {FinalReceivers - mark} of {expected} receivers were final after {timeout}");
            }

            await Task.Delay(20);
        }

        var query = Cluster.GetGrain<IMessageQueryGrain>(0);
        while (true)
        {
            var final = 0L;
            foreach (var status in new[] { MessageStatus.Sent, MessageStatus.PartiallySent, MessageStatus.Failed, MessageStatus.Suppressed, MessageStatus.Blocked })
            {
                final += (await query.ListAsync(new MessageQuery { From = since, Status = status, PageSize = 1 })).Total ?? 0;
            }

            if (final >= expected)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {final} of {expected} messages were final after {timeout}");
            }

            await Task.Delay(200);
        }

        var records = new List<MessageRecord>(expected);
        for (var page = 1; ; page++)
        {
            var items = (await query.ListAsync(new MessageQuery { From = since, Page = page, PageSize = MessageQuery.MaxPageSize })).Items;
            records.AddRange(items);
            if (items.Count < MessageQuery.MaxPageSize)
            {
                return records;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outcomes.Dispose();
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
