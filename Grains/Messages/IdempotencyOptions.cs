using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Messages;

/// <summary>How long a caller's request id keeps answering with the same message (<c>Notify:Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Notify:Idempotency";

    /// <summary>The default value is 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Notify:Idempotency:Window must be between 1 second and 30 days")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);
}
