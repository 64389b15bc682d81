namespace Notify.Grains.Channels.Http;

/// <summary>
/// Settings every HTTP provider channel shares (<c>Channels:&lt;Channel&gt;:*</c>). Checked at start-up by
/// <see cref="HttpChannelOptionsChecks"/> so that messages name the full configuration key.
/// </summary>
public abstract class HttpChannelOptions
{
    public const int DefaultMaxConcurrency = 8;
    public const int MaxMaxConcurrency = 256;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Requests in flight at once. The default value is 8.</summary>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>Time allowed for one HTTP request, response body included. The default value is 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// Whether a request whose outcome is unknown (sent, then a timeout or a dropped connection before the answer) is
    /// sent again, which may deliver it twice, or ends Failed with reason <c>unknown_outcome</c>. Turn it off where a
    /// duplicate costs more than a miss (a voice call, a paid SMS). The default value is true: at-least-once.
    /// </summary>
    public bool RetryUnknownOutcome { get; set; } = true;

    /// <summary>
    /// Allows an <c>http://</c> endpoint on a host other than loopback. Every provider endpoint carries a secret (the
    /// WeCom corpsecret and access token, the CMSI app secret, the robot key in the webhook URL), which cleartext
    /// would show to anyone on the path. For a provider reached through a trusted local relay only. The default value
    /// is false: https, or http to localhost/127.0.0.1/::1.
    /// </summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>The provider's quota, enforced cluster-wide per provider credential; unset means none.</summary>
    public HttpChannelRateLimitOptions? RateLimit { get; set; }

    /// <summary>The quota as the dispatcher applies it, counted against <paramref name="credential"/>.</summary>
    public ChannelRateLimit? ToChannelRateLimit(string credential) =>
        RateLimit is { } limit ? new ChannelRateLimit(limit.Permits, limit.Period, credential) : null;
}

/// <summary>At most <see cref="Permits"/> sends per <see cref="Period"/> (<c>Channels:&lt;Channel&gt;:RateLimit:*</c>).</summary>
public sealed class HttpChannelRateLimitOptions
{
    public int Permits { get; set; }

    public TimeSpan Period { get; set; }
}
