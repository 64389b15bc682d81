using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels;
using Notify.Grains.Records;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Notify.IntegrationTests.Infrastructure;

/// <summary>What a test cluster runs with; defaults are fast (sub-second retries, 1-second minimum reminder period).</summary>
public sealed class NotifyTestClusterOptions
{
    public short Silos { get; set; } = 1;

    /// <summary>Configuration keys as in appsettings (<c>Notify:Delivery:MaxRetries</c> …), applied to every silo.</summary>
    public Dictionary<string, string?> Configuration { get; } = new()
    {
        ["Notify:Delivery:RetryBaseDelay"] = "00:00:00.200",
        ["Notify:Delivery:RetryMaxDelay"] = "00:00:01",
        ["Notify:Delivery:RecoveryPeriod"] = "00:00:02",
    };

    /// <summary>Services added to every silo after the grains' own (a transport, a clock…).</summary>
    public List<Action<IServiceCollection>> Services { get; } = [];

    /// <summary>Services added to every silo after its storage and reminders (a storage that replaces the memory one…).</summary>
    public List<Action<IServiceCollection>> SiloServices { get; } = [];

    /// <summary>A scripted transport per channel, registered unless <see cref="UseOutbox"/>.</summary>
    public bool UseOutbox { get; set; }

    /// <summary>
    /// Channels that send with the transport their <see cref="Configuration"/> sets up (pointed at a test SMTP server or
    /// the HTTP provider test server) instead of a scripted one.
    /// </summary>
    public HashSet<NotifyChannel> ConfiguredChannels { get; } = [];

    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// An in-process Orleans cluster running the real grains on the embedded profile (memory storage and reminders), with
/// one record store shared by its silos and a <see cref="ScriptedTransport"/> per channel.
/// </summary>
public sealed class NotifyTestCluster : IAsyncDisposable
{
    private NotifyTestCluster(InProcessTestCluster cluster, IReadOnlyDictionary<NotifyChannel, ScriptedTransport> transports, string outboxPath, InMemoryMessageRecordStore store)
    {
        Cluster = cluster;
        Transports = transports;
        OutboxPath = outboxPath;
        Store = store;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public IReadOnlyDictionary<NotifyChannel, ScriptedTransport> Transports { get; }

    public string OutboxPath { get; }

    public InMemoryMessageRecordStore Store { get; }

    public ScriptedTransport Transport(NotifyChannel channel) => Transports[channel];

    public static async Task<NotifyTestCluster> StartAsync(Action<NotifyTestClusterOptions>? configure = null)
    {
        var options = new NotifyTestClusterOptions();
        configure?.Invoke(options);
        var outboxPath = Path.Combine(Path.GetTempPath(), "notify-outbox-" + Guid.NewGuid().ToString("N"));
        options.Configuration["Notify:Outbox:Path"] = outboxPath;

        var transports = options.UseOutbox
            ? new Dictionary<NotifyChannel, ScriptedTransport>()
            : NotifyChannels.All.Where(c => !options.ConfiguredChannels.Contains(c)).ToDictionary(c => c, c => new ScriptedTransport(c));

        // One store for every silo, as PostgreSQL is in production; its copier is independent of any silo.
        var store = new InMemoryMessageRecordStore(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>());

        var builder = new InProcessTestClusterBuilder(options.Silos);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(options.Configuration);
            host.Services.AddSingleton<IMessageRecordStore>(store);
            host.Services.AddNotifyGrains(host.Configuration);
            foreach (var transport in transports.Values)
            {
                host.Services.AddSingleton<IChannelTransport>(transport);
            }

            foreach (var add in options.Services)
            {
                add(host.Services);
            }
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(NotifyStorage.Name);
            silo.UseInMemoryReminderService();
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = options.MinimumReminderPeriod);
            foreach (var add in options.SiloServices)
            {
                add(silo.Services);
            }
        });

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new NotifyTestCluster(cluster, transports, outboxPath, store);
    }

    public INotifyGrain Notify => Client.GetGrain<INotifyGrain>(0);

    public IMessageQueryGrain Query => Client.GetGrain<IMessageQueryGrain>(0);

    /// <summary>Waits until the message is final and returns its record.</summary>
    public Task<MessageRecord> WaitForFinalAsync(string messageId, TimeSpan? timeout = null) =>
        WaitForStatusAsync(messageId, s => s.IsFinal(), timeout);

    public async Task<MessageRecord> WaitForStatusAsync(string messageId, Func<MessageStatus, bool> wanted, TimeSpan? timeout = null)
    {
        var record = await Eventually.WaitAsync(
            () => Client.GetGrain<IMessageGrain>(messageId).GetAsync(),
            r => r is not null && wanted(r.Status),
            timeout ?? TimeSpan.FromSeconds(15),
            r => $"message {messageId} is {r?.Status.ToString() ?? "unknown"}");
        return record!;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(OutboxPath))
        {
            Directory.Delete(OutboxPath, recursive: true);
        }
    }
}
