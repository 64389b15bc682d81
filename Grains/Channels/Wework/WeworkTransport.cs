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
    WeworkRobots robots,
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

    /// <summary>The default robot's quota; see <see cref="RateLimitOf"/>.</summary>
    public ChannelRateLimit? RateLimit => RateLimitOf("");

    /// <summary>Each robot waits on its own quota: a busy robot does not hold back the others.</summary>
    public string LaneOf(ChannelDelivery delivery) => delivery.Message.Robot;

    /// <summary>
    /// WeCom counts a robot's quota per webhook key; the key is a secret, so the budget is named by a digest (two names
    /// for one key share it). A robot removed from configuration has no budget: its sends fail without a request.
    /// </summary>
    public ChannelRateLimit? RateLimitOf(string lane) =>
        robots.Find(lane) is { } robot ? _options.ToChannelRateLimit("wecom-robot:" + SecretRedaction.Digest(robot.Key)) : null;

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

        if (robots.Find(delivery.Message.Robot) is not { } robot)
        {
            throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"robot '{delivery.Message.Robot}' is no longer configured (Channels:Wework:Robots)", transient: false);
        }

        var requests = WeworkPayload.Build(delivery.Message, chatIds);
        var uri = new Uri($"{robot.WebhookUrl}?key={Uri.EscapeDataString(robot.Key)}");
        var call = new ProviderCall(Operation, _options.Timeout, timeProvider);
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                var response = await ProviderHttp.PostJsonAsync<WeworkSendRequest, WeworkResponse>(
                    httpClientFactory.CreateClient(HttpClientName), uri, requests[i], call, cancellationToken).ConfigureAwait(false);
                ThrowIfError(response, robot.Key);
            }
            catch (Exception exception) when (i > 0 && !cancellationToken.IsCancellationRequested)
            {
                LogPartFailed(logger, exception, i + 1, requests.Count);
                throw;
            }
        }

        return DeliveryResult.AllDelivered(delivery.Recipients);
    }

    private static void ThrowIfError(WeworkResponse response, string key)
    {
        if (response.ErrCode is not { } errcode)
        {
            throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"{Operation} answered without errcode", transient: true);
        }

        if (errcode != WecomErrors.Ok)
        {
            var retryAfter = errcode == WecomErrors.FrequencyLimited ? QuotaWindow : (TimeSpan?)null;
            throw WecomErrors.ToException(Operation, errcode, response.ErrMsg, retryAfter, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Robot message part {Part} of {Parts} failed after the earlier parts were sent; a retry resends every part")]
    private static partial void LogPartFailed(ILogger logger, Exception exception, int part, int parts);
}
