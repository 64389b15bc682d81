using Microsoft.Extensions.Options;

namespace Notify.Grains.Channels.Http;

/// <summary>
/// Start-up checks shared by the HTTP channels' <c>IValidateOptions</c> implementations. Every message names
/// the full configuration key and never echoes a URL or credential (a pasted URL may carry a key).
/// </summary>
internal static class HttpChannelOptionsChecks
{
    public static void CheckCommon(HttpChannelOptions options, string section, List<string> failures)
    {
        if (options.MaxConcurrency is < 1 or > HttpChannelOptions.MaxMaxConcurrency)
        {
            failures.Add($"{section}:MaxConcurrency must be between 1 and {HttpChannelOptions.MaxMaxConcurrency} (was {options.MaxConcurrency}).");
        }

        if (options.Timeout < HttpChannelOptions.MinTimeout || options.Timeout > HttpChannelOptions.MaxTimeout)
        {
            failures.Add($"{section}:Timeout must be between {HttpChannelOptions.MinTimeout} and {HttpChannelOptions.MaxTimeout} (was {options.Timeout}).");
        }

        if (options.RateLimit is { } limit)
        {
            if (limit.Permits < 1)
            {
                failures.Add($"{section}:RateLimit:Permits must be at least 1 (was {limit.Permits}).");
            }

            if (limit.Period <= TimeSpan.Zero)
            {
                failures.Add($"{section}:RateLimit:Period must be a positive duration such as 00:01:00 (was {limit.Period}).");
            }
        }
    }

    /// <summary>
    /// An absolute http(s) URL without a query string; <paramref name="queryAdvice"/> says where its query belongs.
    /// Requests to it carry the channel's secret, so <c>http://</c> is refused unless the host is loopback or
    /// <paramref name="options"/> allow it (<see cref="HttpChannelOptions.AllowPlainHttp"/>).
    /// </summary>
    public static void CheckUrl(string? value, string key, HttpChannelOptions options, List<string> failures, string? queryAdvice = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required.");
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{key} must be an absolute http or https URL.");
            return;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback && !options.AllowPlainHttp)
        {
            var section = key[..key.LastIndexOf(':')];
            failures.Add($"{key} must be an https URL: requests to it carry the channel's secret, which http would send in cleartext "
                + $"(http is accepted for localhost, 127.0.0.1 and ::1, or with {section}:AllowPlainHttp=true).");
        }

        if (uri.Query.Length > 0)
        {
            failures.Add(queryAdvice is null ? $"{key} must not contain a query string." : $"{key} must not contain a query string; {queryAdvice}.");
        }
    }

    public static void CheckRequired(string? value, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required.");
        }
    }

    public static ValidateOptionsResult ToResult(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
