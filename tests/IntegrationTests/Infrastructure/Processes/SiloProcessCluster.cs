using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Silo.Persistence;
using Orleans.Configuration;

namespace Notify.IntegrationTests.Infrastructure.Processes;

/// <summary>
/// N real silo processes on one PostgreSQL database, one cluster: the same <c>Notify.Silo.dll</c> with the same
/// settings and its own ports each. <see cref="ConnectClientAsync"/> gives an external Orleans client that finds the
/// gateways in the membership table, as a .NET service using the <c>Client</c> library would.
/// </summary>
public sealed class SiloProcessCluster : IAsyncDisposable
{
    /// <summary>How long a silo may take to become ready on a loaded two-core machine.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly List<SiloProcess> _silos = [];
    private readonly Dictionary<SiloProcess, (IReadOnlyDictionary<string, string?> Settings, IsolatedNetwork? Network)> _launchedWith = [];
    private readonly List<IHost> _clients = [];
    private int _started;

    private SiloProcessCluster(string connectionString, string clusterId, IReadOnlyDictionary<string, string?> settings)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId;
        Settings = settings;
    }

    public string ConnectionString { get; }

    /// <summary>Both the Orleans ClusterId and ServiceId.</summary>
    public string ClusterId { get; }

    /// <summary>Every setting the silos get (configuration keys), ports aside.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>
    /// Liveness settings that declare a dead silo within seconds (defaults take over a minute): probes every second,
    /// two missed probes suspect, heartbeat and table refresh every 2 s. Votes needed stay at Orleans' default.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> FastFailover { get; } = new Dictionary<string, string?>
    {
        ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
        ["Orleans:Membership:NumMissedProbesLimit"] = "2",
        ["Orleans:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Orleans:Membership:IAmAliveTablePublishTimeout"] = "00:00:02",
        ["Orleans:Membership:DeathVoteExpirationTimeout"] = "00:00:10",
    };

    /// <summary>Delivery timings for tests: an interrupted attempt is retried seconds after the crash, not minutes.</summary>
    public static IReadOnlyDictionary<string, string?> FastRecovery { get; } = new Dictionary<string, string?>
    {
        ["Notify:Reminders:MinimumPeriod"] = "00:00:01",
        ["Notify:Delivery:AttemptLease"] = "00:00:05",
        ["Notify:Delivery:RecoveryPeriod"] = "00:00:02",
        ["Notify:Delivery:RetryBaseDelay"] = "00:00:01",
        ["Notify:Delivery:RetryMaxDelay"] = "00:00:04",
        ["Notify:Delivery:MaxRetries"] = "10",
    };

    private const int SupervisorStartAttempts = 3;

    /// <summary>Starts <paramref name="count"/> silos side by side and waits until every one is ready.</summary>
    /// <param name="settings">Settings on top of the Postgres profile, <see cref="FastFailover"/> and <see cref="FastRecovery"/>.</param>
    public static async Task<SiloProcessCluster> StartAsync(
        string connectionString, int count, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var clusterId = "proc-" + Guid.NewGuid().ToString("N")[..10];
        var all = new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = connectionString,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            ["Notify:Outbox:Path"] = Path.Combine(Path.GetTempPath(), "notify-outbox-" + clusterId),
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
            // Several silos share two cores here: workstation GC keeps each one small.
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (key, value) in FastFailover.Concat(FastRecovery).Concat(settings ?? new Dictionary<string, string?>()))
        {
            all[key] = value;
        }

        var cluster = new SiloProcessCluster(connectionString, clusterId, all);
        try
        {
            var launched = Enumerable.Range(0, count).Select(_ => cluster.Launch(all, network: null, SiloPorts.Free())).ToArray();
            await Task.WhenAll(launched.Select(silo => silo.WaitUntilReadyAsync(ReadyTimeout, cancellationToken)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one more silo with the cluster's settings, <paramref name="overrides"/> on top, in
    /// <paramref name="network"/> when given, and waits until it is ready.
    /// </summary>
    public async Task<SiloProcess> StartSiloAsync(
        IReadOnlyDictionary<string, string?>? overrides = null, IsolatedNetwork? network = null, CancellationToken cancellationToken = default)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var silo = Launch(settings, network, SiloPorts.Free());
        await silo.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
        return silo;
    }

    /// <summary>
    /// What a supervisor (systemd, Kubernetes) does for a silo process that exited: starts it again with the same
    /// settings, network and ports, and waits until it is ready. It joins as a new generation.
    /// </summary>
    public async Task<SiloProcess> RestartAsync(SiloProcess exited, CancellationToken cancellationToken = default)
    {
        if (!exited.HasExited)
        {
            throw new InvalidOperationException($"{exited.Name} is still running");
        }

        var (settings, network) = _launchedWith[exited];
        for (var attempt = 1; ; attempt++)
        {
            var silo = Launch(settings, network, exited.Ports);
            try
            {
                await silo.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
                return silo;
            }
            catch (InvalidOperationException) when (silo.HasExited && attempt < SupervisorStartAttempts)
            {
                // A start can fail on a starved machine (a PostgreSQL connect timing out under a load of 60); a
                // supervisor starts it again, and so do we, a bounded number of times, so a silo that cannot start still fails.
            }
        }
    }

    /// <summary>An external Orleans client: gateways from the membership table, refreshed every second.</summary>
    public Task<IClusterClient> ConnectClientAsync(CancellationToken cancellationToken = default) => ConnectClientAsync(null, cancellationToken);

    /// <summary>The same, with calls that give up after <paramref name="responseTimeout"/> instead of Orleans' 30 s.</summary>
    public Task<IClusterClient> ConnectClientAsync(TimeSpan responseTimeout, CancellationToken cancellationToken = default) =>
        ConnectClientAsync((TimeSpan?)responseTimeout, cancellationToken);

    private async Task<IClusterClient> ConnectClientAsync(TimeSpan? responseTimeout, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = ClusterId;
            });
            client.UseNotifyPostgresClustering(ConnectionString);
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            if (responseTimeout is { } timeout)
            {
                client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = timeout);
            }
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        _clients.Add(host);
        return host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Every silo's last lines, for failure messages.</summary>
    public string Tails() => string.Join("\n", _silos.Select(s => s.Tail()));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            // The client is thrown away: no graceful goodbye to gateways that may be dead. Disposing must not throw,
            // or it would hide the failure of the test that owns the cluster.
            using var abandon = new CancellationTokenSource();
            await abandon.CancelAsync();
            await client.StopAsync(abandon.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            client.Dispose();
        }

        await Task.WhenAll(_silos.Select(silo => silo.DisposeAsync().AsTask()));
    }

    private SiloProcess Launch(IReadOnlyDictionary<string, string?> settings, IsolatedNetwork? network, SiloPorts ports)
    {
        var silo = SiloProcess.Launch($"silo{Interlocked.Increment(ref _started)}", settings, ports, network);
        _silos.Add(silo);
        _launchedWith[silo] = (settings, network);
        return silo;
    }
}
