using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Rtx;

/// <summary>
/// The <c>message/send</c> body the transport would POST (<c>agentid</c> is 0 while <c>Channels:Rtx:AgentId</c> is
/// unset). The access token travels in the query string, so the body holds no secret.
/// </summary>
internal sealed class RtxOutboxRenderer(IOptions<RtxChannelOptions> options) : IOutboxRenderer
{
    public NotifyChannel Channel => NotifyChannel.Rtx;

    public string Extension => "json";

    public Task RenderAsync(ChannelDelivery delivery, Stream destination, CancellationToken cancellationToken) =>
        ProviderJson.WriteOutboxAsync(
            destination,
            RtxPayload.Build(delivery.Message, DeliveryAddresses.Distinct(delivery), options.Value.AgentId),
            cancellationToken);
}
