using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Delivery;
using Notify.Grains.Records;
using Orleans.Hosting;

namespace Notify.Grains.Messages;

/// <summary>
/// The safety net behind every message's own wake-ups: on a reminder (which survives any silo), finds messages whose
/// next step is overdue — a send interrupted by a crash, a wake-up lost with its silo — and resumes them.
/// Resuming a message that is fine is harmless, so this may be generous.
/// </summary>
[Alias("notify.IMessageRecoveryGrain")]
public interface IMessageRecoveryGrain : IGrainWithStringKey
{
    public const string Key = "recovery";

    [Alias("EnsureScheduled")]
    Task EnsureScheduledAsync();

    /// <summary>One recovery pass now; returns how many messages were resumed.</summary>
    [Alias("RunOnce")]
    Task<int> RunOnceAsync();
}

public sealed partial class MessageRecoveryGrain(
    IMessageRecordStore store,
    IOptions<DeliveryOptions> deliveryOptions,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<MessageRecoveryGrain> logger) : Grain, IMessageRecoveryGrain, IRemindable
{
    private const string ReminderName = "recover";
    private const int BatchSize = 500;
    private const int Parallelism = 32;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public async Task EnsureScheduledAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
        {
            var period = deliveryOptions.Value.RecoveryPeriod > reminderOptions.Value.MinimumReminderPeriod
                ? deliveryOptions.Value.RecoveryPeriod
                : reminderOptions.Value.MinimumReminderPeriod;
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => RunOnceAsync();

    public async Task<int> RunOnceAsync()
    {
        var overdue = await store.FindOverdueAsync(time.GetUtcNow() - Grace, BatchSize);
        if (overdue.Count == 0)
        {
            return 0;
        }

        LogResuming(overdue.Count);

        // Batches awaited on the grain's own scheduler: grain members (GrainFactory) may not be touched from the
        // thread pool, where Parallel.ForEachAsync would run the calls.
        foreach (var batch in overdue.Chunk(Parallelism))
        {
            await Task.WhenAll(batch.Select(ResumeAsync));
        }

        return overdue.Count;
    }

    private async Task ResumeAsync(string messageId)
    {
        try
        {
            await GrainFactory.GetGrain<IMessageGrain>(messageId).ResumeAsync();
        }
        catch (Exception exception)
        {
            LogResumeFailed(exception, messageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery: resuming {Count} overdue message(s)")]
    private partial void LogResuming(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: resuming message {MessageId} failed; the next pass tries again")]
    private partial void LogResumeFailed(Exception exception, string messageId);
}
