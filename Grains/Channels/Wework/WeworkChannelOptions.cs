using System.ComponentModel.DataAnnotations;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Wework;

/// <summary>The WeCom group robot (<c>Channels:Wework</c>); the channel is on when <see cref="WebhookUrl"/> is set.</summary>
public sealed class WeworkChannelOptions : HttpChannelOptions
{
    public const string SectionName = "Channels:Wework";

    /// <summary>WeCom's documented robot quota: 20 messages per minute.</summary>
    public const int DefaultRateLimitPermits = 20;

    public static readonly TimeSpan DefaultRateLimitPeriod = TimeSpan.FromMinutes(1);

    public WeworkChannelOptions()
    {
        RateLimit = new HttpChannelRateLimitOptions { Permits = DefaultRateLimitPermits, Period = DefaultRateLimitPeriod };
    }

    /// <summary>The webhook without its key, e.g. <c>https://qyapi.weixin.qq.com/cgi-bin/webhook/send</c>.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>The robot's key, sent as <c>?key=</c>; never logged, never written to the outbox.</summary>
    [Required(ErrorMessage = SectionName + ":Key is required when " + SectionName + ":WebhookUrl is set.")]
    public string Key { get; set; } = "";

    /// <summary>
    /// More robots, by name (<c>Channels:Wework:Robots:&lt;name&gt;:Key</c>): a message names one in its <c>robot</c>
    /// field, and one without a name goes through <see cref="Key"/>. Each robot has its own rate limit (WeCom's quota
    /// is per key), with this section's <c>RateLimit</c> values.
    /// </summary>
    public Dictionary<string, WeworkRobotOptions> Robots { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One named robot (<c>Channels:Wework:Robots:&lt;name&gt;</c>).</summary>
public sealed class WeworkRobotOptions
{
    /// <summary>The robot's key; never logged, never written to the outbox.</summary>
    public string Key { get; set; } = "";

    /// <summary>Its webhook, when not the channel's <see cref="WeworkChannelOptions.WebhookUrl"/>.</summary>
    public string WebhookUrl { get; set; } = "";
}
