using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels;
using Notify.IntegrationTests.Infrastructure;
using Notify.Silo.Hosting;

namespace Notify.IntegrationTests.Infrastructure.Host;

/// <summary>
/// The real silo process (<see cref="NotifyHost.Build"/>) on the embedded profile, on free loopback ports, with a
/// <see cref="ScriptedTransport"/> per channel: the gateway end to end over a real <see cref="HttpClient"/> and
/// <see cref="GrpcChannel"/>.
/// </summary>
public sealed class NotifyTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _outboxPath;

    private NotifyTestHost(WebApplication app, HostPorts ports, IReadOnlyDictionary<NotifyChannel, ScriptedTransport> transports, string outboxPath)
    {
        _app = app;
        _outboxPath = outboxPath;
        Ports = ports;
        Transports = transports;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Http}"), Timeout = TimeSpan.FromSeconds(30) };
        Grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{ports.Grpc}");
    }

    public HostPorts Ports { get; }

    /// <summary>REST client on the HTTP/1.1 port.</summary>
    public HttpClient Http { get; }

    /// <summary>gRPC channel on the HTTP/2 port.</summary>
    public GrpcChannel Grpc { get; }

    public IReadOnlyDictionary<NotifyChannel, ScriptedTransport> Transports { get; }

    /// <summary>The silo's own cluster client.</summary>
    public IClusterClient ClusterClient => _app.Services.GetRequiredService<IClusterClient>();

    /// <summary>The host's services (its endpoint data source, for tests that check what is mapped).</summary>
    public IServiceProvider Services => _app.Services;

    public ScriptedTransport Transport(NotifyChannel channel) => Transports[channel];

    /// <summary>Starts the host; <paramref name="settings"/> (keys, rate limits…) are added over the test defaults.</summary>
    public static Task<NotifyTestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(settings, configure, scriptTransports: true);

    /// <summary>
    /// Starts the host with the silo's own channel transports, configured by <paramref name="channelSettings"/> (for
    /// example an SMTP test server's and <c>HttpProviderTestServer.ChannelSettings()</c>): no <see cref="ScriptedTransport"/>,
    /// so a send ends at the provider servers. Channels left unconfigured go to the outbox.
    /// </summary>
    public static Task<NotifyTestHost> StartWithProvidersAsync(IReadOnlyDictionary<string, string?> channelSettings) =>
        StartAsync(channelSettings, configure: null, scriptTransports: false);

    private static async Task<NotifyTestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings, Action<WebApplicationBuilder>? configure, bool scriptTransports)
    {
        var ports = HostPorts.Free();
        var outboxPath = Path.Combine(Path.GetTempPath(), "notify-host-outbox-" + Guid.NewGuid().ToString("N"));
        var transports = scriptTransports ? NotifyChannels.All.ToDictionary(c => c, c => new ScriptedTransport(c)) : new Dictionary<NotifyChannel, ScriptedTransport>();
        var app = NotifyHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:HttpPort"] = ports.Http.ToString(),
                ["Gateway:GrpcPort"] = ports.Grpc.ToString(),
                ["Silo:SiloPort"] = ports.Silo.ToString(),
                ["Silo:GatewayPort"] = ports.OrleansGateway.ToString(),
                ["Notify:Outbox:Path"] = outboxPath,
                ["Notify:Reminders:MinimumPeriod"] = "00:00:01",
                // Action repeats seconds apart, so a test sees several (the default minimum is 60 s).
                ["Notify:Actions:MinNotifyIntervalSeconds"] = "1",
                ["Notify:Delivery:RetryBaseDelay"] = "00:00:00.200",
                ["Notify:Delivery:RetryMaxDelay"] = "00:00:01",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            foreach (var transport in transports.Values)
            {
                builder.Services.AddSingleton<IChannelTransport>(transport);
            }

            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new NotifyTestHost(app, ports, transports, outboxPath);
    }

    /// <summary>Reads the record through the cluster until it is final.</summary>
    public async Task<MessageRecord> WaitForFinalAsync(string messageId)
    {
        var record = await Eventually.WaitAsync(
            () => ClusterClient.GetGrain<Grains.Abstractions.Grains.IMessageQueryGrain>(0).GetAsync(messageId),
            r => r is not null && r.Status.IsFinal(),
            TimeSpan.FromSeconds(15),
            r => $"message {messageId} is {r?.Status.ToString() ?? "unknown"}");
        return record!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Grpc.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_outboxPath))
        {
            Directory.Delete(_outboxPath, recursive: true);
        }
    }
}

/// <summary>The four ports of a test host, each free on loopback when picked.</summary>
public sealed record HostPorts(int Http, int Grpc, int Silo, int OrleansGateway)
{
    public static HostPorts Free()
    {
        // Hold all four listeners until every port is picked, so the four differ.
        var listeners = Enumerable.Range(0, 4).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return new HostPorts(ports[0], ports[1], ports[2], ports[3]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}

/// <summary>One host per test class (xUnit class fixture).</summary>
public sealed class NotifyHostFixture : IAsyncLifetime
{
    private NotifyTestHost? _host;

    public NotifyTestHost Host => _host ?? throw new InvalidOperationException("the host has not started");

    public async ValueTask InitializeAsync() => _host = await NotifyTestHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
