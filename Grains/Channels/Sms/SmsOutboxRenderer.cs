using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Sms;

/// <summary>The <c>send_sms</c> body the transport would POST, without <c>bk_app_secret</c>.</summary>
internal sealed class SmsOutboxRenderer(IOptions<SmsChannelOptions> options) : IOutboxRenderer
{
    public NotifyChannel Channel => NotifyChannel.Sms;

    public string Extension => "json";

    public Task RenderAsync(ChannelDelivery delivery, Stream destination, CancellationToken cancellationToken) =>
        ProviderJson.WriteOutboxAsync(destination, [SmsPayload.Build(delivery, options.Value.Credentials.WithoutSecret())], cancellationToken);
}
