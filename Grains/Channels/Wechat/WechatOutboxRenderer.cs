using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Wechat;

/// <summary>The <c>send_weixin</c> body the transport would POST, without <c>bk_app_secret</c>.</summary>
internal sealed class WechatOutboxRenderer(IOptions<WechatChannelOptions> options) : IOutboxRenderer
{
    public NotifyChannel Channel => NotifyChannel.Wechat;

    public string Extension => "json";

    public Task RenderAsync(ChannelDelivery delivery, Stream destination, CancellationToken cancellationToken) =>
        ProviderJson.WriteOutboxAsync(destination, [WechatPayload.Build(delivery, options.Value.Credentials.WithoutSecret(), options.Value.Heading)], cancellationToken);
}
