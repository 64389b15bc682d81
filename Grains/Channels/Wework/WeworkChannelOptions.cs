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
}
