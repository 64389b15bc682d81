using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Orleans.Concurrency;

namespace Notify.Grains.Channels;

/// <summary>
/// The channel's sender on this silo: one stateless-worker activation per channel and silo, so a message grain's
/// delivery never crosses silos and each silo's CPU and connections add to the cluster's. The queue and the connection
/// pools live in the silo's <see cref="ChannelDispatchers"/>, so they outlive this activation. Reentrant: deliveries
/// wait in the dispatcher's queue, not in the grain's.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed class ChannelSenderGrain(ChannelDispatchers dispatchers) : Grain, IChannelSenderGrain
{
    private NotifyChannel _channel;
    private IChannelTransport? _transport;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var channel = NotifyChannels.All.FirstOrDefault(c => GrainKeys.ChannelSender(c) == key);
        if (GrainKeys.ChannelSender(channel) != key)
        {
            throw new InvalidOperationException($"'{key}' is not a channel sender key");
        }

        _channel = channel;
        _transport = dispatchers.TransportOf(channel);
        return Task.CompletedTask;
    }

    public Task<DeliveryResult> DeliverAsync(ChannelDelivery delivery) =>
        dispatchers.For(_channel, _transport!.LaneOf(delivery)).EnqueueAsync(delivery);
}
