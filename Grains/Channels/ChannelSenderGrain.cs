using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Delivery;
using Orleans.Concurrency;

namespace Notify.Grains.Channels;

/// <summary>
/// The one sender of a channel in the cluster: being single, it holds the provider's rate limit for every silo, and
/// its dispatcher keeps the transport's connections busy in priority order. Reentrant: deliveries wait in the
/// dispatcher's queue, not in the grain's.
/// </summary>
[Reentrant]
public sealed class ChannelSenderGrain(
    ChannelTransportRegistry transports,
    LocalChannelSenders localSenders,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<ChannelSenderGrain> logger) : Grain, IChannelSenderGrain
{
    private PriorityDispatcher? _dispatcher;
    private RecentDeliveries? _recent;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var channel = NotifyChannels.All.FirstOrDefault(c => GrainKeys.ChannelSender(c) == key);
        if (GrainKeys.ChannelSender(channel) != key)
        {
            throw new InvalidOperationException($"'{key}' is not a channel sender key");
        }

        _dispatcher = new PriorityDispatcher(transports.Get(channel), options.Value.MaxQueueWait, options.Value.SendTimeout, time, logger);
        _recent = new RecentDeliveries(channel, time);
        localSenders.Add(_dispatcher);
        return Task.CompletedTask;
    }

    public async Task<DeliveryResult> DeliverAsync(ChannelDelivery delivery)
    {
        // Runs on the grain's scheduler before and after the await, so the recent-deliveries map needs no lock.
        var already = _recent!.Delivered(delivery);
        var pending = delivery.Recipients.Where(r => !already.ContainsKey(_recent.Key(r.Address))).ToArray();
        if (pending.Length == 0)
        {
            return new DeliveryResult(delivery.Recipients.Select(r => already[_recent.Key(r.Address)]).DistinctBy(r => _recent.Key(r.Address)).ToArray());
        }

        var result = await _dispatcher!.EnqueueAsync(pending.Length == delivery.Recipients.Count ? delivery : delivery with { Recipients = pending });
        _recent.Record(delivery.MessageId, result.Recipients);
        var answeredBefore = delivery.Recipients.Where(r => already.ContainsKey(_recent.Key(r.Address))).Select(r => already[_recent.Key(r.Address)]);
        return new DeliveryResult(answeredBefore.Concat(result.Recipients).DistinctBy(r => _recent.Key(r.Address)).ToArray());
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dispatcher is { } dispatcher)
        {
            localSenders.Remove(dispatcher);
            await dispatcher.DisposeAsync();
        }
    }
}
