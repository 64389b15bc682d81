using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels;

/// <summary>
/// A channel's sender on the calling silo (<see cref="Abstractions.GrainKeys.ChannelSender"/>; a stateless worker, so
/// every silo has its own and a call never leaves the silo): queues deliveries by priority and source, takes the
/// provider's cluster-wide rate limit as leases, and fans deliveries out over the silo's connections.
/// </summary>
[Alias("notify.IChannelSenderGrain")]
public interface IChannelSenderGrain : IGrainWithStringKey
{
    /// <summary>Sends one delivery; never throws for a send failure (failures are results).</summary>
    [Alias("Deliver"), ResponseTimeout("00:05:00")]
    Task<DeliveryResult> DeliverAsync(ChannelDelivery delivery);
}
