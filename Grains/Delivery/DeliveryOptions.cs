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

    /// <summary>How long one attempt may take before a recovery pass treats its outcome as unknown. The default value is 6 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AttemptLease { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>How often the recovery pass looks for overdue messages (after a crash). The default value is 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Per-attempt transport timeout inside a channel sender. The default value is 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:04:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
