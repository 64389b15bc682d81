using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Notify.Grains.Records;

/// <summary>
/// Deletes finished send records older than <see cref="RecordRetentionOptions.Records"/>, on a reminder (one
/// activation in the cluster, which survives any silo), in batches of <see cref="RecordRetentionOptions.BatchSize"/>.
/// The same job bounds the embedded store and the PostgreSQL one.
/// </summary>
[Alias("notify.IRecordRetentionGrain")]
public interface IRecordRetentionGrain : IGrainWithStringKey
{
    public const string Key = "retention";

    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>One pass now; returns how many records it deleted.</summary>
    [Alias("RunOnce")]
    Task<int> RunOnceAsync();
}

public sealed partial class RecordRetentionGrain(
    IMessageRecordStore store,
    IOptions<RecordRetentionOptions> options,
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
        var deleted = await DeleteExpiredAsync(store, time.GetUtcNow() - retention.Records, retention.BatchSize, retention.MaxBatchesPerPass);
        if (deleted > 0)
        {
            LogDeleted(deleted, retention.Records);
        }

        return deleted;
    }

    /// <summary>Batch after batch until one comes back short (nothing older is left) or the pass has had its batches.</summary>
    internal static async Task<int> DeleteExpiredAsync(IMessageRecordStore store, DateTimeOffset createdBefore, int batchSize, int maxBatches)
    {
        var total = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var deleted = await store.DeleteFinishedAsync(createdBefore, batchSize);
            total += deleted;
            if (deleted < batchSize)
            {
                break;
            }
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} finished record(s) older than {Retention}")]
    private partial void LogDeleted(int count, TimeSpan retention);
}
