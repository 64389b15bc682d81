using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Delivery;

/// <summary>Retry schedule of messages (<c>Notify:Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Notify:Delivery";

    /// <summary>Attempts after the first. The default value is 3 (BK-CI).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; doubles each retry. The default value is 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cap on a retry delay, also on a provider's Retry-After. The default value is 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after an attempt starts a recovery pass may poke the message. Poking a live attempt is harmless (the
    /// grain runs one turn at a time), so this only bounds how late a crashed attempt is retried. The default value is 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AttemptLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the recovery pass looks for overdue messages (after a crash). The default value is 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
