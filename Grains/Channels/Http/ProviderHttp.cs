using System.Net.Http.Json;
using System.Text.Json;

namespace Notify.Grains.Channels.Http;

/// <summary>
/// The shared HTTP rules of the provider channels: a per-request timeout (reported as <see cref="TimeoutException"/>),
/// any non-2xx status as <see cref="ProviderHttpException"/> carrying the <c>Retry-After</c> delay, and a 2xx body that
/// is not the expected JSON as a transient <see cref="ProviderErrorException"/>. Body error codes are the caller's to
/// map, because each provider spells them differently. A request that fails without an answer after its whole body
/// was sent (a timeout, a reset) is thrown as <see cref="AnswerLostException"/>: the provider may have acted on it.
/// <see cref="HttpFailureClassifier"/> classifies all of these.
/// </summary>
internal static class ProviderHttp
{
    public const string InvalidResponseCode = "invalid_response";

    public static Task<TResponse> PostJsonAsync<TRequest, TResponse>(
        HttpClient client, Uri uri, TRequest body, ProviderCall call, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new SentBodyContent(JsonSerializer.SerializeToUtf8Bytes(body, ProviderJson.Options), "application/json"),
        };
        return SendAsync<TResponse>(client, request, call, cancellationToken);
    }

    /// <summary>
    /// POSTs <paramref name="content"/> as is (a multipart upload). Only a <see cref="SentBodyContent"/> makes a lost
    /// answer an <see cref="AnswerLostException"/>: pass another content for a request that cannot have reached anyone.
    /// </summary>
    public static Task<TResponse> PostAsync<TResponse>(
        HttpClient client, Uri uri, HttpContent content, ProviderCall call, CancellationToken cancellationToken) =>
        SendAsync<TResponse>(client, new HttpRequestMessage(HttpMethod.Post, uri) { Content = content }, call, cancellationToken);

    public static Task<TResponse> GetJsonAsync<TResponse>(
        HttpClient client, Uri uri, ProviderCall call, CancellationToken cancellationToken) =>
        SendAsync<TResponse>(client, new HttpRequestMessage(HttpMethod.Get, uri), call, cancellationToken);

    private static async Task<TResponse> SendAsync<TResponse>(
        HttpClient client, HttpRequestMessage request, ProviderCall call, CancellationToken cancellationToken)
    {
        using var _ = request;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(call.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var retryAfter = RetryAfterHeader.ToDelay(response.Headers.RetryAfter, call.TimeProvider.GetUtcNow());
                // The Location is not quoted: it may carry the same secrets as the request.
                var redirect = status is >= 300 and < 400 ? " (redirects are not followed)" : "";
                throw new ProviderHttpException(status, $"{call.Operation} answered {status} {response.ReasonPhrase}".TrimEnd() + redirect, retryAfter);
            }

            return await ReadAsync<TResponse>(response, call, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not (ProviderHttpException or ProviderErrorException))
        {
            Exception failure = exception is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                ? new TimeoutException($"{call.Operation} timed out after {call.Timeout.TotalMilliseconds:0} ms")
                : exception;
            if (request.Content is SentBodyContent { Sent: true })
            {
                throw new AnswerLostException(failure);
            }

            if (failure == exception)
            {
                throw;
            }

            throw failure;
        }
    }

    private static async Task<TResponse> ReadAsync<TResponse>(HttpResponseMessage response, ProviderCall call, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TResponse>(ProviderJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw InvalidResponse(call, "a JSON null");
        }
        catch (JsonException)
        {
            // The body may be an HTML error page from a proxy; retrying is the best guess, and the retry budget bounds it.
            throw InvalidResponse(call, "a body that is not the expected JSON");
        }
    }

    private static ProviderErrorException InvalidResponse(ProviderCall call, string what) =>
        new(InvalidResponseCode, $"{call.Operation} answered 2xx with {what}", transient: true);
}
