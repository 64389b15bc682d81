using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Rtx;

/// <summary>
/// Sends WeCom application messages (<c>message/send</c>) to user ids, 1000 per request, with a cached access token.
/// Users WeCom lists in <c>invaliduser</c> or <c>unlicenseduser</c> fail permanently; the others are delivered.
/// </summary>
internal sealed partial class RtxTransport(
    IHttpClientFactory httpClientFactory,
    IOptions<RtxChannelOptions> options,
    WecomAccessTokenCache accessTokens,
    TimeProvider timeProvider,
    ILogger<RtxTransport> logger) : IChannelTransport
{
    public const string HttpClientName = "notify.channels.rtx";
    private const string Operation = "WeCom message/send";

    private readonly RtxChannelOptions _options = options.Value;

    public NotifyChannel Channel => NotifyChannel.Rtx;

    public string Name => "wecom-app";

    public int MaxConcurrency => _options.MaxConcurrency;

    /// <summary>WeCom counts application messages per corp and agent.</summary>
    public ChannelRateLimit? RateLimit => _options.ToChannelRateLimit($"wecom-app:{_options.CorpId}:{_options.AgentId}");

    public SendFailure Classify(Exception exception) => HttpFailureClassifier.Classify(exception);

    public bool RetryUnknownOutcome => _options.RetryUnknownOutcome;

    public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        var requests = RtxPayload.Build(delivery.Message, DeliveryAddresses.Distinct(delivery), _options.AgentId);
        var results = new List<RecipientResult>();
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                results.AddRange(await SendRequestAsync(requests[i], cancellationToken).ConfigureAwait(false));
            }
            catch (Exception exception) when (i > 0 && !cancellationToken.IsCancellationRequested)
            {
                // Earlier requests were delivered, so a throw would fail (and later resend) users who got the message.
                // Report this request's and the remaining users as failed instead, and stop: the provider is unwell.
                var failure = HttpFailureClassifier.Classify(exception);
                LogRequestFailed(logger, exception, i + 1, requests.Count);
                results.AddRange(requests.Skip(i).SelectMany(r => r.UserIds).Select(user => new RecipientResult(user, failure)));
                break;
            }
        }

        return new DeliveryResult(results);
    }

    private async Task<IEnumerable<RecipientResult>> SendRequestAsync(RtxSendRequest request, CancellationToken cancellationToken)
    {
        var token = await accessTokens.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await PostAsync(request, token, cancellationToken).ConfigureAwait(false);
        if (response.ErrCode is { } errcode && WecomErrors.IsAccessTokenRejected(errcode))
        {
            LogAccessTokenRejected(logger, errcode);
            accessTokens.Invalidate(token);
            token = await accessTokens.GetAsync(cancellationToken).ConfigureAwait(false);
            response = await PostAsync(request, token, cancellationToken).ConfigureAwait(false);
        }

        return ToResults(request, response, token);
    }

    private Task<RtxSendResponse> PostAsync(RtxSendRequest request, string token, CancellationToken cancellationToken) =>
        ProviderHttp.PostJsonAsync<RtxSendRequest, RtxSendResponse>(
            httpClientFactory.CreateClient(HttpClientName),
            new Uri($"{_options.BaseUrl.TrimEnd('/')}/cgi-bin/message/send?access_token={Uri.EscapeDataString(token)}"),
            request,
            new ProviderCall(Operation, _options.Timeout, timeProvider),
            cancellationToken);

    private IEnumerable<RecipientResult> ToResults(RtxSendRequest request, RtxSendResponse response, string token)
    {
        if (response.ErrCode is not { } errcode)
        {
            throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"{Operation} answered without errcode", transient: true);
        }

        if (errcode != WecomErrors.Ok)
        {
            throw WecomErrors.ToException(Operation, errcode, response.ErrMsg, retryAfter: null, _options.CorpSecret, token);
        }

        var refused = Split(response.InvalidUser).Concat(Split(response.UnlicensedUser)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (refused.Count > 0)
        {
            LogUsersRefused(logger, refused.Count, request.UserIds.Count);
        }

        var refusal = SendFailure.Permanent("WeCom refused the user id (invaliduser or unlicenseduser)");
        return request.UserIds
            .Select(user => refused.Contains(user) ? new RecipientResult(user, refusal) : new RecipientResult(user, null, response.MsgId))
            .ToArray();
    }

    private static string[] Split(string? users) =>
        string.IsNullOrEmpty(users) ? [] : users.Split(RtxPayload.UserSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [LoggerMessage(Level = LogLevel.Information, Message = "WeCom rejected the access token with errcode {Errcode}; fetching a new one and resending once")]
    private static partial void LogAccessTokenRejected(ILogger logger, int errcode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom refused {Refused} of {Users} user ids (invaliduser/unlicenseduser)")]
    private static partial void LogUsersRefused(ILogger logger, int refused, int users);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeCom request {Request} of {Requests} failed after earlier ones were delivered; its users and the rest are reported failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, int request, int requests);
}
