namespace Notify.Grains.Channels.Http;

/// <summary>An HTTP provider answered with a non-success status.</summary>
public sealed class ProviderHttpException(int statusCode, string message, TimeSpan? retryAfter = null)
    : Exception($"HTTP {statusCode}: {message}")
{
    public int StatusCode { get; } = statusCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A provider answered 200 with an error code in its body (WeCom errcode, CMSI code).</summary>
public sealed class ProviderErrorException(string code, string message, bool transient, TimeSpan? retryAfter = null)
    : Exception($"provider error {code}: {message}")
{
    public string Code { get; } = code;

    public bool Transient { get; } = transient;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
