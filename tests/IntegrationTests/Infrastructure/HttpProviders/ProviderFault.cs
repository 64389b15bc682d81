namespace Notify.IntegrationTests.Infrastructure.HttpProviders;

/// <summary>
/// A misbehaviour <see cref="HttpProviderTestServer.InjectFault"/> applies to the next requests on a path, instead of
/// (or, for <see cref="Delay"/>, before) the normal answer.
/// </summary>
public sealed record ProviderFault
{
    private ProviderFault()
    {
    }

    internal int? StatusCode { get; private init; }

    internal string? RetryAfter { get; private init; }

    internal int? ErrorCode { get; private init; }

    internal string ErrorMessage { get; private init; } = "";

    internal TimeSpan? DelayBy { get; private init; }

    internal string? Location { get; private init; }

    /// <summary>Answer normally: queue it before another fault to let requests through first.</summary>
    public static ProviderFault None { get; } = new();

    /// <summary>
    /// Answer with <paramref name="statusCode"/> (400, 429, 500, 503…) and, when given, a <c>Retry-After</c> header
    /// written as is (delta-seconds such as "7" or an HTTP-date).
    /// </summary>
    public static ProviderFault Status(int statusCode, string? retryAfter = null) =>
        new() { StatusCode = statusCode, RetryAfter = retryAfter };

    /// <summary>
    /// Answer HTTP 200 with an error in the body, in the path's dialect: <c>{"errcode":code,"errmsg":message}</c> on
    /// WeCom paths, <c>{"result":false,"code":code,"message":message}</c> on CMSI paths.
    /// </summary>
    public static ProviderFault Error(int code, string message = "injected error") =>
        new() { ErrorCode = code, ErrorMessage = message };

    /// <summary>Answer 307 Temporary Redirect to <paramref name="location"/>: a client that follows it sends the same request there.</summary>
    public static ProviderFault Redirect(string location) => new() { StatusCode = 307, Location = location };

    /// <summary>Hold the answer for <paramref name="delay"/> (longer than the client's timeout to provoke one), then answer normally.</summary>
    public static ProviderFault Delay(TimeSpan delay) => new() { DelayBy = delay };
}
