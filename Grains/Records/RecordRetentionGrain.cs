using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Messages;
using Notify.Grains.Telemetry;
using Orleans.Hosting;

namespace Notify.Grains.Records;

/// <summary>
/// Deletes finished send records older than <see cref="RecordRetentionOptions.Records"/>, empties the bodies of those
/// older than <see cref="RecordRetentionOptions.Bodies"/>, and deletes grain states that can
/// no longer matter (<see cref="GrainStateRetention"/>: expired idempotency keys and frequency-limit states), on a
/// reminder (one activation in the cluster, which survives any silo), in batches of
/// <see cref="RecordRetentionOptions.BatchSize"/>. The same job bounds the embedded record store and the PostgreSQL one;
/// grain states are purged where a <see cref="IGrainStatePurger"/> is registered (the PostgreSQL profile).
/// </summary>
[Alias("notify.IRecordRetentionGrain")]
public interface IRecordRetentionGrain : IGrainWithStringKey
{
    public const string Key = "retention";

    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>One pass now; returns how many records and grain states it deleted.</summary>
    [Alias("RunOnce")]
    Task<int> RunOnceAsync();
}

public sealed partial class RecordRetentionGrain(
    IMessageRecordStore store,
    IServiceProvider services,
    IOptions<RecordRetentionOptions> options,
    IOptions<IdempotencyOptions> idempotency,
    NotifyMetrics metrics,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<RecordRetentionGrain> logger) : Grain, IRecordRetentionGrain, IRemindable
{
    private const string ReminderName = "retention";

    public async Task EnsureScheduledAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
        {
            var period = options.Value.Period > reminderOptions.Value.MinimumReminderPeriod ? options.Value.Period : reminderOptions.Value.MinimumReminderPeriod;
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => RunOnceAsync();

    public async Task<int> RunOnceAsync()
    {
        var retention = options.Value;
        var now = time.GetUtcNow();
        var deleted = await DeleteExpiredAsync(store, now - retention.Records, retention.BatchSize, retention.MaxBatchesPerPass);
        metrics.Purged("records", deleted);
        if (deleted > 0)
        {
            LogDeleted(deleted, retention.Records);
        }

        var dropped = await DropBodiesAsync(store, now - retention.Bodies, now, retention.BatchSize, retention.MaxBatchesPerPass);
        metrics.Purged("bodies", dropped);
        if (dropped > 0)
        {
            LogBodiesDropped(dropped, retention.Bodies);
        }

        var total = deleted + dropped;
        if (services.GetService<IGrainStatePurger>() is { } purger)
        {
            foreach (var due in GrainStateRetention.Due(now, idempotency.Value.Window))
            {
                var purged = await PurgeAsync(purger, due, retention.BatchSize, retention.MaxBatchesPerPass);
                metrics.Purged(due.Kind, purged);
                total += purged;
                if (purged > 0)
                {
                    LogPurged(purged, due.StateName, due.WrittenBefore);
                }
            }
        }

        return total;
    }

    internal static Task<int> PurgeAsync(IGrainStatePurger purger, ExpiredStates due, int batchSize, int maxBatches) =>
        InBatchesAsync(limit => purger.DeleteWrittenBeforeAsync(due.StateName, due.WrittenBefore, limit), batchSize, maxBatches);

    internal static Task<int> DropBodiesAsync(IMessageRecordStore store, DateTimeOffset createdBefore, DateTimeOffset now, int batchSize, int maxBatches) =>
        InBatchesAsync(limit => store.DropBodiesAsync(createdBefore, now, limit), batchSize, maxBatches);

    internal static Task<int> DeleteExpiredAsync(IMessageRecordStore store, DateTimeOffset createdBefore, int batchSize, int maxBatches) =>
        InBatchesAsync(limit => store.DeleteFinishedAsync(createdBefore, limit), batchSize, maxBatches);

    /// <summary>Batch after batch until one comes back short (nothing older is left) or the pass has had its batches.</summary>
    private static async Task<int> InBatchesAsync(Func<int, Task<int>> batch, int batchSize, int maxBatches)
    {
        var total = 0;
        for (var i = 0; i < maxBatches; i++)
        {
            var done = await batch(batchSize);
            total += done;
            if (done < batchSize)
            {
                break;
            }
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} {StateName} grain state(s) last written before {WrittenBefore}")]
    private partial void LogPurged(int count, string stateName, DateTimeOffset writtenBefore);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: dropped the body of {Count} finished record(s) older than {Retention}")]
    private partial void LogBodiesDropped(int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} finished record(s) older than {Retention}")]
    private partial void LogDeleted(int count, TimeSpan retention);
}
