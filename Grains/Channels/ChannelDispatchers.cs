using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Channels.RateLimits;
using Notify.Grains.Telemetry;

namespace Notify.Grains.Channels;

/// <summary>
/// This silo's channel dispatchers, one per channel, made on first use: each with its transport's connection pool
/// and, for a rate-limited provider, a <see cref="LeasedRateLimiter"/> on the credential's cluster-wide budget.
/// They are drained when the silo stops gracefully, before it announces ShuttingDown (which Orleans does while it
/// deactivates grains): the answers of the sends on the wire then still reach their message grains.
/// </summary>
public sealed partial class ChannelDispatchers(
    ChannelTransportRegistry transports,
    IGrainFactory grainFactory,
    IOptions<ChannelSenderOptions> options,
    TimeProvider time,
    NotifyMetrics metrics,
    ILoggerFactory loggerFactory) : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly ConcurrentDictionary<NotifyChannel, Lazy<ChannelDispatcher>> _dispatchers = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<ChannelDispatchers>();
    private volatile bool _siloStopping;

    public ChannelDispatcher For(NotifyChannel channel) =>
        _dispatchers.GetOrAdd(channel, c => new Lazy<ChannelDispatcher>(() => Create(c))).Value;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ChannelDispatchers), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, DrainAsync);

    public async ValueTask DisposeAsync()
    {
        foreach (var dispatcher in _dispatchers.Values.Where(d => d.IsValueCreated))
        {
            await dispatcher.Value.DisposeAsync();
        }
    }

    private ChannelDispatcher Create(NotifyChannel channel)
    {
        var transport = transports.Get(channel);
        var settings = options.Value;
        var limiter = transport.RateLimit is { } limit
            ? new LeasedRateLimiter(
                grainFactory.GetGrain<IProviderLimiterGrain>(GrainKeys.ProviderLimiter(limit.Credential)),
                limit,
                settings.RateLimitLeaseWindow,
                time,
                loggerFactory.CreateLogger<LeasedRateLimiter>())
            : null;
        var dispatcher = new ChannelDispatcher(
            transport,
            limiter,
            limiter is null ? null : limiter.Pause,
            settings.MaxQueueWait,
            settings.SendTimeout,
            time,
            loggerFactory.CreateLogger<ChannelDispatcher>(),
            () => metrics.UnknownOutcome(channel, transport.Name));
        if (_siloStopping)
        {
            // Made after the drain (a call arriving while Orleans deactivates grains): it would send and lose its
            // answers with the silo. Nothing is on the wire yet, so the drain completes at once.
            _ = dispatcher.DrainAsync(CancellationToken.None);
        }

        return dispatcher;
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        _siloStopping = true;
        var dispatchers = _dispatchers.Values.Where(d => d.IsValueCreated).Select(d => d.Value).ToArray();
        if (dispatchers.Length == 0)
        {
            return;
        }

        LogDraining(dispatchers.Length, dispatchers.Sum(d => d.QueueLength));
        await Task.WhenAll(dispatchers.Select(d => d.DrainAsync(cancellationToken)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopping: draining {Senders} channel sender(s); {Queued} queued deliveries handed back")]
    private partial void LogDraining(int senders, int queued);
}
