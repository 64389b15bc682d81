using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Wework;

/// <summary>
/// The robot request body, or the array of bodies when the content is split. The key travels in the query
/// string, so no body holds a secret.
/// </summary>
internal sealed class WeworkOutboxRenderer : IOutboxRenderer
{
    public NotifyChannel Channel => NotifyChannel.Wework;

    public string Extension => "json";

    public Task RenderAsync(ChannelDelivery delivery, Stream destination, CancellationToken cancellationToken) =>
        ProviderJson.WriteOutboxAsync(destination, WeworkPayload.Build(delivery.Message, DeliveryAddresses.Distinct(delivery)), cancellationToken);
}
