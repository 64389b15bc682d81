
namespace Notify.Grains.Channels.Http.Cmsi;

/// <summary>
/// Posts to a CMSI gateway API (<c>{BaseUrl}/api/c/compapi/cmsi/{api}/</c>) for the WeChat, SMS and voice channels.
/// </summary>
/// <remarks>
/// <c>result:false</c> is a permanent <see cref="ProviderErrorException"/> carrying the gateway's code and message:
/// CMSI reports rejections (unknown app, bad receiver, component not enabled) that way, and its codes do not
/// distinguish a busy backend, so retrying would only repeat the rejection. Overload and outages reach us as HTTP
/// 429/5xx or timeouts, which the shared HTTP rules treat as transient.
/// </remarks>
internal sealed class CmsiClient(IHttpClientFactory httpClientFactory, TimeProvider timeProvider)
{
    public const string ApiRoot = "api/c/compapi/cmsi/";

    public static Uri ApiUri(string baseUrl, string api) => new($"{baseUrl.TrimEnd('/')}/{ApiRoot}{api}/");

    /// <summary>Posts <paramref name="body"/> and returns when the gateway accepted it.</summary>
    public async Task SendAsync<TRequest>(
        string httpClientName, CmsiChannelOptions options, string api, TRequest body, CancellationToken cancellationToken)
        where TRequest : CmsiRequest
    {
        var call = new ProviderCall($"CMSI {api}", options.Timeout, timeProvider);
        var response = await ProviderHttp.PostJsonAsync<TRequest, CmsiResponse>(
            httpClientFactory.CreateClient(httpClientName), ApiUri(options.BaseUrl, api), body, call, cancellationToken).ConfigureAwait(false);

        switch (response.Result)
        {
            case true:
                return;
            case false:
                var message = SecretRedaction.Redact($"{call.Operation} rejected the request: {response.Message}", options.AppSecret);
                throw new ProviderErrorException(response.CodeText, message, transient: false);
            default:
                throw new ProviderErrorException(ProviderHttp.InvalidResponseCode, $"{call.Operation} answered without a result field", transient: true);
        }
    }
}
