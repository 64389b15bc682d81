using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Channels;

/// <summary>How each silo's channel senders queue and send (<c>Notify:Delivery</c>, next to the retry schedule).</summary>
public sealed class ChannelSenderOptions
{
    public const string SectionName = "Notify:Delivery";

    /// <summary>
    /// Longest a delivery may wait in a channel sender's queue (behind a rate limit) before it is answered as a
    /// transient failure, so the caller never times out on it. The default value is 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:04:00")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Per-attempt transport timeout inside a channel sender. The default value is 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:04:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How much of a provider's budget a silo leases at a time, as a span of its rate: with 1,000 per second and the
    /// default 100 ms, a silo takes 100 tokens per call to the credential's limiter grain. Shorter shares the budget
    /// more evenly between silos, longer makes fewer calls. The default value is 100 milliseconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan RateLimitLeaseWindow { get; set; } = TimeSpan.FromMilliseconds(100);
}
