using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Wechat;

/// <summary>Sends WeChat messages through CMSI <c>send_weixin</c>; the gateway answers for the whole request.</summary>
internal sealed class WechatTransport(CmsiClient cmsi, IOptions<WechatChannelOptions> options) : IChannelTransport
{
    public const string HttpClientName = "notify.channels.wechat";

    private readonly WechatChannelOptions _options = options.Value;

    public NotifyChannel Channel => NotifyChannel.Wechat;

    public string Name => "cmsi-wechat";

    public int MaxConcurrency => _options.MaxConcurrency;

    /// <summary>The gateway counts requests per app and API.</summary>
    public ChannelRateLimit? RateLimit => _options.ToChannelRateLimit($"cmsi:{_options.BaseUrl}:{_options.AppCode}:wechat");

    public SendFailure Classify(Exception exception) => HttpFailureClassifier.Classify(exception);

    public bool RetryUnknownOutcome => _options.RetryUnknownOutcome;

    public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Recipients.Count == 0)
        {
            return new DeliveryResult([]);
        }

        await cmsi.SendAsync(HttpClientName, _options, WechatPayload.Api, WechatPayload.Build(delivery, _options.Credentials, _options.Heading), cancellationToken).ConfigureAwait(false);
        return DeliveryResult.AllDelivered(delivery.Recipients);
    }
}
