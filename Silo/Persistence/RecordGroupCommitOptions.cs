using System.ComponentModel.DataAnnotations;

namespace Notify.Silo.Persistence;

/// <summary>
/// How the PostgreSQL record store batches writes from concurrent grains into one statement and one commit
/// (<c>Notify:Records:GroupCommit</c>).
/// </summary>
public sealed class RecordGroupCommitOptions
{
    public const string SectionName = "Notify:Records:GroupCommit";

    /// <summary>Writes per statement at most; a full batch is flushed at once. The default value is 64.</summary>
    [Range(1, 1000, ErrorMessage = "Notify:Records:GroupCommit:MaxBatchSize must be between 1 and 1000")]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// How long a batch that is not full waits for more writes after its first one; zero flushes whatever is queued
    /// as soon as a flush slot is free. The default value is 1 millisecond.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:00.002", ErrorMessage = "Notify:Records:GroupCommit:MaxDelay must be between 0 and 2 milliseconds")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Batch statements in flight at once (each holds one pooled connection). While all are busy, writes queue and
    /// the next batches fill up. The default value is 4.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Notify:Records:GroupCommit:MaxConcurrentFlushes must be between 1 and 64")]
    public int MaxConcurrentFlushes { get; set; } = 4;
}
