using System.Net.Http.Headers;

namespace Notify.Grains.Channels.Http;

/// <summary>Turns a <c>Retry-After</c> header (delta-seconds or HTTP-date, RFC 9110 §10.2.3) into a delay.</summary>
internal static class RetryAfterHeader
{
    /// <summary>The delay the header asks for, measured from <paramref name="now"/>; a date in the past is zero.</summary>
    public static TimeSpan? ToDelay(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The delay for a raw header value, or null when it is absent or malformed.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value, out var header) ? ToDelay(header, now) : null;
}
