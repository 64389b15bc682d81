using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Rtx;

/// <summary>
/// The WeCom access token, fetched once and reused until shortly before it expires (bk-ci fetched one per send and
/// ran into <c>gettoken</c>'s own rate limit). Concurrent callers share one fetch; a token WeCom rejects is dropped
/// with <see cref="Invalidate"/> and the next caller fetches a new one.
/// </summary>
internal sealed partial class WecomAccessTokenCache(
    IHttpClientFactory httpClientFactory,
    IOptions<RtxChannelOptions> options,
    TimeProvider timeProvider,
    ILogger<WecomAccessTokenCache> logger)
{
    private const string Operation = "WeCom gettoken";

    private readonly Lock _gate = new();
    private CachedToken? _token;
    private Task<CachedToken>? _fetch;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        Task<CachedToken> fetch;
        lock (_gate)
        {
            if (_token is { } token && timeProvider.GetUtcNow() < token.RefreshAt)
            {
                return token.Value;
            }

            // A completed fetch is either the expired token's or a failure: start over. A running one is shared.
            if (_fetch is null || _fetch.IsCompleted)
            {
                _fetch = FetchAsync();
            }

            fetch = _fetch;
        }

        return (await fetch.WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>Drops <paramref name="token"/> unless another caller has already replaced it.</summary>
    public void Invalidate(string token)
    {
        lock (_gate)
        {
            if (_token?.Value == token)
            {
                _token = null;
            }
        }
    }

    // Not bound to any one caller's cancellation: other callers may be waiting on the same fetch. The timeout bounds it.
    private async Task<CachedToken> FetchAsync()
    {
        var settings = options.Value;
        var uri = new Uri($"{settings.BaseUrl.TrimEnd('/')}/cgi-bin/gettoken?corpid={Uri.EscapeDataString(settings.CorpId)}&corpsecret={Uri.EscapeDataString(settings.CorpSecret)}");
        var response = await ProviderHttp.GetJsonAsync<WecomTokenResponse>(
            httpClientFactory.CreateClient(RtxTransport.HttpClientName),
            uri,
            new ProviderCall(Operation, settings.Timeout, timeProvider),
            CancellationToken.None).ConfigureAwait(false);

        if (response.ErrCode is { } errcode and not WecomErrors.Ok)
        {
            throw WecomErrors.ToException(Operation, errcode, response.ErrMsg, retryAfter: null, settings.CorpSecret);
        }

        if (response.ErrCode is null || string.IsNullOrEmpty(response.AccessToken) || response.ExpiresIn is not > 0)
        {
            throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"{Operation} answered without errcode, access_token or expires_in", transient: true);
        }

        var lifetime = TimeSpan.FromSeconds(response.ExpiresIn.Value);
        var margin = settings.TokenRefreshMargin < lifetime / 2 ? settings.TokenRefreshMargin : lifetime / 2;
        var token = new CachedToken(response.AccessToken, timeProvider.GetUtcNow() + lifetime - margin);
        lock (_gate)
        {
            _token = token;
        }

        LogTokenFetched(logger, lifetime);
        return token;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched a WeCom access token valid for {Lifetime}")]
    private static partial void LogTokenFetched(ILogger logger, TimeSpan lifetime);

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);
}
