using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Wework;

/// <summary>
/// Posts to a WeCom group robot webhook, one request per content part, in order. The robot answers for all chats
/// at once, so any failure fails the whole delivery (a retry resends every part).
/// </summary>
internal sealed partial class WeworkTransport(
    IHttpClientFactory httpClientFactory,
    IOptions<WeworkChannelOptions> options,
    TimeProvider timeProvider,
    ILogger<WeworkTransport> logger) : IChannelTransport
{
    public const string HttpClientName = "notify.channels.wework";
    private const string Operation = "WeCom robot webhook";

    /// <summary>The robot quota is per minute: after 45009, the next minute is the earliest worth trying.</summary>
    private static readonly TimeSpan QuotaWindow = TimeSpan.FromMinutes(1);

    private readonly WeworkChannelOptions _options = options.Value;

    public NotifyChannel Channel => NotifyChannel.Wework;

    public string Name => "wecom-robot";

    public int MaxConcurrency => _options.MaxConcurrency;

    /// <summary>The robot's quota is per webhook key; the key is a secret, so it is named by a digest.</summary>
    public ChannelRateLimit? RateLimit => _options.ToChannelRateLimit("wecom-robot:" + SecretRedaction.Digest(_options.Key));

    public SendFailure Classify(Exception exception) => HttpFailureClassifier.Classify(exception);

    public bool RetryUnknownOutcome => _options.RetryUnknownOutcome;

    /// <summary>One POST per content part: a message split in three uses three of the robot's per-minute quota.</summary>
    public int PermitsFor(ChannelDelivery delivery) =>
        Math.Max(1, WeworkPayload.Build(delivery.Message, DeliveryAddresses.Distinct(delivery)).Count);

    public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        var chatIds = DeliveryAddresses.Distinct(delivery);
        if (chatIds.Count == 0)
        {
            return new DeliveryResult([]);
        }

        var requests = WeworkPayload.Build(delivery.Message, chatIds);
        var uri = new Uri($"{_options.WebhookUrl}?key={Uri.EscapeDataString(_options.Key)}");
        var call = new ProviderCall(Operation, _options.Timeout, timeProvider);
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                var response = await ProviderHttp.PostJsonAsync<WeworkSendRequest, WeworkResponse>(
                    httpClientFactory.CreateClient(HttpClientName), uri, requests[i], call, cancellationToken).ConfigureAwait(false);
                ThrowIfError(response);
            }
            catch (Exception exception) when (i > 0 && !cancellationToken.IsCancellationRequested)
            {
                LogPartFailed(logger, exception, i + 1, requests.Count);
                throw;
            }
        }

        return DeliveryResult.AllDelivered(delivery.Recipients);
    }

    private void ThrowIfError(WeworkResponse response)
    {
        if (response.ErrCode is not { } errcode)
        {
            throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"{Operation} answered without errcode", transient: true);
        }

        if (errcode != WecomErrors.Ok)
        {
            var retryAfter = errcode == WecomErrors.FrequencyLimited ? QuotaWindow : (TimeSpan?)null;
            throw WecomErrors.ToException(Operation, errcode, response.ErrMsg, retryAfter, _options.Key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Robot message part {Part} of {Parts} failed after the earlier parts were sent; a retry resends every part")]
    private static partial void LogPartFailed(ILogger logger, Exception exception, int part, int parts);
}
