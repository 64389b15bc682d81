using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Abstractions.Grains;

/// <summary>
/// One per channel (<see cref="GrainKeys.ChannelSender"/>): queues deliveries by priority, holds the
/// provider's rate limit for the whole cluster and fans deliveries out to the transport's connections.
/// </summary>
[Alias("notify.IChannelSenderGrain")]
public interface IChannelSenderGrain : IGrainWithStringKey
{
    /// <summary>Sends one delivery; never throws for a send failure (failures are results).</summary>
    [Alias("Deliver"), ResponseTimeout("00:05:00")]
    Task<DeliveryResult> DeliverAsync(ChannelDelivery delivery);
}
