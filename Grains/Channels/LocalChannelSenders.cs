using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Notify.Grains.Delivery;

namespace Notify.Grains.Channels;

/// <summary>
/// The channel senders active on this silo, drained when the silo stops gracefully. The drain must come before the
/// silo announces ShuttingDown (which Orleans does while it deactivates grains): from that moment the other silos
/// fail their calls still running here, so a send that then completes would be retried, a duplicate. Draining at the
/// stop of the Active stage, while the silo is still an active member, lets every answer reach its caller.
/// </summary>
public sealed partial class LocalChannelSenders(ILogger<LocalChannelSenders> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<PriorityDispatcher, byte> _dispatchers = new();
    private volatile bool _siloStopping;

    /// <summary>
    /// Tracks a new sender. One activated after the drain (a call arriving while Orleans deactivates grains) drains at
    /// once: it would otherwise send and lose its answers with the silo.
    /// </summary>
    public void Add(PriorityDispatcher dispatcher)
    {
        _dispatchers.TryAdd(dispatcher, 0);
        if (_siloStopping)
        {
            // Nothing is on the wire yet, so the drain completes at once.
            _ = dispatcher.DrainAsync(CancellationToken.None);
        }
    }

    public void Remove(PriorityDispatcher dispatcher) => _dispatchers.TryRemove(dispatcher, out _);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalChannelSenders), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        _siloStopping = true;
        var dispatchers = _dispatchers.Keys.ToArray();
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
