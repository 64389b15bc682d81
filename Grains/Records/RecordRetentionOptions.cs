using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Records;

/// <summary>How long finished send records are kept, and how the periodic deletion goes (<c>Notify:Retention</c>).</summary>
public sealed class RecordRetentionOptions : IValidatableObject
{
    public const string SectionName = "Notify:Retention";

    /// <summary>Age (since creation) past which a final record is deleted. The default value is 30 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Notify:Retention:Records must be between 1 hour and 3650 days")]
    public TimeSpan Records { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Age (since creation) past which a final record's body is dropped while its row stays (status, receivers, errors,
    /// times): the content is what may be personal or secret, the outcome is what operators look up later. At most
    /// <see cref="Records"/>. The default value is 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Notify:Retention:Bodies must be between 1 hour and 3650 days")]
    public TimeSpan Bodies { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The embedded profile's record store keeps at most this many records in memory: past it, the oldest finished
    /// ones are dropped (in-flight ones never). The PostgreSQL store is bounded by age only. The default value is 100,000.
    /// </summary>
    [Range(1_000, 10_000_000, ErrorMessage = "Notify:Retention:EmbeddedMaxRecords must be between 1000 and 10000000")]
    public int EmbeddedMaxRecords { get; set; } = 100_000;

    /// <summary>Records per delete statement, so no pass holds locks or bloats a transaction for long. The default value is 1000.</summary>
    [Range(1, 100_000, ErrorMessage = "Notify:Retention:BatchSize must be between 1 and 100000")]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Batches per pass at most; what is left waits for the next pass. The default value is 100.</summary>
    [Range(1, 10_000, ErrorMessage = "Notify:Retention:MaxBatchesPerPass must be between 1 and 10000")]
    public int MaxBatchesPerPass { get; set; } = 100;

    /// <summary>How often a pass runs. The default value is 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Notify:Retention:Period must be between 1 minute and 7 days")]
    public TimeSpan Period { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Bodies > Records)
        {
            yield return new ValidationResult(
                $"Notify:Retention:Bodies ({Bodies}) must not be longer than Notify:Retention:Records ({Records}): a body is kept at most as long as its record",
                [nameof(Bodies)]);
        }
    }
}
