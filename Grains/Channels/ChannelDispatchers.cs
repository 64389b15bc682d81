using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
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
public sealed partial class ChannelDispatchers : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly ConcurrentDictionary<(NotifyChannel Channel, string Lane), Lazy<ChannelDispatcher>> _dispatchers = new();
    private readonly ChannelTransportRegistry _transports;
    private readonly IGrainFactory _grainFactory;
    private readonly IOptions<ChannelSenderOptions> _options;
    private readonly TimeProvider _time;
    private readonly NotifyMetrics _metrics;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private volatile bool _siloStopping;

    public ChannelDispatchers(
        ChannelTransportRegistry transports,
        IGrainFactory grainFactory,
        IOptions<ChannelSenderOptions> options,
        TimeProvider time,
        NotifyMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        _transports = transports;
        _grainFactory = grainFactory;
        _options = options;
        _time = time;
        _metrics = metrics;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ChannelDispatchers>();
        metrics.ObserveChannels(() => Observe(d => d.QueueLength), () => Observe(d => d.InFlight));
    }

    /// <summary>The dispatcher of one lane of a channel (<see cref="IChannelTransport.LaneOf"/>): its own queue, workers and budget.</summary>
    public ChannelDispatcher For(NotifyChannel channel, string lane = "") =>
        _dispatchers.GetOrAdd((channel, lane), k => new Lazy<ChannelDispatcher>(() => Create(k.Channel, k.Lane))).Value;

    public IChannelTransport TransportOf(NotifyChannel channel) => _transports.Get(channel);

    /// <summary>The silo has begun its graceful stop: its dispatchers take no more deliveries.</summary>
    public bool SiloStopping => _siloStopping;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ChannelDispatchers), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, DrainAsync);

    public async ValueTask DisposeAsync()
    {
        foreach (var dispatcher in _dispatchers.Values.Where(d => d.IsValueCreated))
        {
            await dispatcher.Value.DisposeAsync();
        }
    }

    /// <summary>One measurement per channel whose sender this silo has made (the others have nothing queued), its lanes added up.</summary>
    private IEnumerable<Measurement<int>> Observe(Func<ChannelDispatcher, int> read) =>
        _dispatchers
            .Where(d => d.Value.IsValueCreated)
            .GroupBy(d => d.Key.Channel)
            .Select(g => new Measurement<int>(g.Sum(d => read(d.Value.Value)), new KeyValuePair<string, object?>("channel", g.Key.Name())))
            .ToArray();

    private ChannelDispatcher Create(NotifyChannel channel, string lane)
    {
        var transport = _transports.Get(channel);
        var settings = _options.Value;
        var rateLimit = transport.RateLimitOf(lane);
        var limiter = rateLimit is { } limit
            ? new LeasedRateLimiter(
                _grainFactory.GetGrain<IProviderLimiterGrain>(GrainKeys.ProviderLimiter(limit.Credential)),
                limit,
                settings.RateLimitLeaseWindow,
                _time,
                _loggerFactory.CreateLogger<LeasedRateLimiter>())
            : null;
        var dispatcher = new ChannelDispatcher(
            transport,
            limiter,
            limiter is null ? null : limiter.Pause,
            settings.MaxQueueWait,
            settings.SendTimeout,
            _time,
            _loggerFactory.CreateLogger<ChannelDispatcher>(),
            _metrics.ForChannel(channel, transport.Name),
            rateLimit);
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
