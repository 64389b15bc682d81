namespace Notify.Grains.Channels.Http;

/// <summary>
/// What <see cref="ProviderHttp"/> needs to know about one request besides its URL and body.
/// </summary>
/// <param name="Operation">Names the request in errors and logs ("WeCom message/send"); never a URL, which may carry a credential.</param>
/// <param name="Timeout">Time allowed for the request, response body included.</param>
/// <param name="TimeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against.</param>
internal sealed record ProviderCall(string Operation, TimeSpan Timeout, TimeProvider TimeProvider);
