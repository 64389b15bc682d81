using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Wework;

/// <summary>
/// Posts to a WeCom group robot webhook, one request per content part, in order; a media message is one request
/// (a file or voice one after its upload). The robot answers for all chats at once, so any failure fails the whole
/// delivery (a retry resends every part).
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
    private const string UploadOperation = "WeCom robot upload_media";

    /// <summary>A final message's file bytes are gone (an operator retried it): nothing to send.</summary>
    public const string MediaDroppedCode = "media_content_dropped";

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

    /// <summary>
    /// One POST per content part: a message split in three uses three of the robot's per-minute quota. A media message
    /// is one message (its upload is not one, in WeCom's count).
    /// </summary>
    public int PermitsFor(ChannelDelivery delivery) =>
        delivery.Message.Media is not null ? 1 : Math.Max(1, WeworkPayload.Build(delivery.Message, DeliveryAddresses.Distinct(delivery)).Count);

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

        var uri = new Uri($"{robot.WebhookUrl}?key={Uri.EscapeDataString(robot.Key)}");
        var call = new ProviderCall(Operation, _options.Timeout, timeProvider);
        if (delivery.Message.Media is { } media)
        {
            await SendMediaAsync(robot, uri, string.Join(WeworkPayload.ChatSeparator, chatIds), media, call, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.AllDelivered(delivery.Recipients);
        }

        var requests = WeworkPayload.Build(delivery.Message, chatIds);
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                var response = await ProviderHttp.PostJsonAsync<WeworkSendRequest, WeworkResponse>(
                    httpClientFactory.CreateClient(HttpClientName), uri, requests[i], call, cancellationToken).ConfigureAwait(false);
                ThrowIfError(Operation, response.ErrCode, response.ErrMsg, robot.Key);
            }
            catch (Exception exception) when (i > 0 && !cancellationToken.IsCancellationRequested)
            {
                LogPartFailed(logger, exception, i + 1, requests.Count);
                throw;
            }
        }

        return DeliveryResult.AllDelivered(delivery.Recipients);
    }

    /// <summary>
    /// An image in one request; a file or voice uploaded first, then sent by its <c>media_id</c>. An upload that fails
    /// has sent nothing to any chat, so its lost answer is an ordinary transient failure (a retry uploads again).
    /// </summary>
    private async Task SendMediaAsync(WeworkRobot robot, Uri sendUri, string chatId, WeworkMedia media, ProviderCall call, CancellationToken cancellationToken)
    {
        if (!media.HasContent())
        {
            throw new ProviderErrorException(MediaDroppedCode, $"the bytes of {WeworkMedia.WireName(media.Kind)} '{media.FileName}' were dropped when the message became final; send it again", transient: false);
        }

        var client = httpClientFactory.CreateClient(HttpClientName);
        string? mediaId = null;
        if (media.Kind != WeworkMediaKind.Image)
        {
            var uploadCall = call with { Operation = UploadOperation };
            var upload = await ProviderHttp.PostAsync<WeworkUploadResponse>(
                client, WeworkUpload.UriFor(robot.WebhookUrl, robot.Key, media.Kind), WeworkUpload.Content(media), uploadCall, cancellationToken).ConfigureAwait(false);
            ThrowIfError(UploadOperation, upload.ErrCode, upload.ErrMsg, robot.Key);
            mediaId = upload.MediaId is { Length: > 0 } id
                ? id
                : throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"{UploadOperation} answered errcode 0 without media_id", transient: true);
        }

        var response = await ProviderHttp.PostJsonAsync<WeworkSendRequest, WeworkResponse>(
            client, sendUri, WeworkPayload.Media(chatId, media, mediaId), call, cancellationToken).ConfigureAwait(false);
        ThrowIfError(Operation, response.ErrCode, response.ErrMsg, robot.Key);
    }

    private static void ThrowIfError(string operation, int? errorCode, string? errorMessage, string key)
    {
        if (errorCode is not { } errcode)
        {
            throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"{operation} answered without errcode", transient: true);
        }

        if (errcode != WecomErrors.Ok)
        {
            var retryAfter = errcode == WecomErrors.FrequencyLimited ? QuotaWindow : (TimeSpan?)null;
            throw WecomErrors.ToException(operation, errcode, errorMessage, retryAfter, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Robot message part {Part} of {Parts} failed after the earlier parts were sent; a retry resends every part")]
    private static partial void LogPartFailed(ILogger logger, Exception exception, int part, int parts);
}
