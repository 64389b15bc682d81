using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Sms;

/// <summary>Sends text messages through CMSI <c>send_sms</c>; the gateway answers for the whole request.</summary>
internal sealed class SmsTransport(CmsiClient cmsi, IOptions<SmsChannelOptions> options) : IChannelTransport
{
    public const string HttpClientName = "notify.channels.sms";

    private readonly SmsChannelOptions _options = options.Value;

    public NotifyChannel Channel => NotifyChannel.Sms;

    public string Name => "cmsi-sms";

    public int MaxConcurrency => _options.MaxConcurrency;

    /// <summary>The gateway counts requests per app and API.</summary>
    public ChannelRateLimit? RateLimit => _options.ToChannelRateLimit($"cmsi:{_options.BaseUrl}:{_options.AppCode}:sms");

    public SendFailure Classify(Exception exception) => HttpFailureClassifier.Classify(exception);

    public bool RetryUnknownOutcome => _options.RetryUnknownOutcome;

    public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Recipients.Count == 0)
        {
            return new DeliveryResult([]);
        }

        await cmsi.SendAsync(HttpClientName, _options, SmsPayload.Api, SmsPayload.Build(delivery, _options.Credentials), cancellationToken).ConfigureAwait(false);
        return DeliveryResult.AllDelivered(delivery.Recipients);
    }
}
