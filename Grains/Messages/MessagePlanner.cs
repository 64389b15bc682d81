using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;

namespace Notify.Grains.Messages;

/// <summary>The message grain's working state: its record, and what this activation knows beyond the record.</summary>
public sealed class MessageProgress
{
    public MessageRecord? Record { get; set; }

    /// <summary>
    /// The attempt this activation journaled and has not run yet. An attempt journaled by an earlier activation that
    /// never recorded its outcome is an unknown outcome.
    /// </summary>
    public int? JournaledAttempt { get; set; }

    /// <summary>The record has a change the store has not taken yet: nothing is sent until it has.</summary>
    public bool Unsaved { get; set; }

    /// <summary>The record is final but the final steps (metrics, the listener, clean-up) have not run yet.</summary>
    public bool CompletionPending { get; set; }
}

/// <summary>What the grain does after the save a plan may ask for.</summary>
public abstract record MessageEffect;

/// <summary>There is no such message: leave memory (and any reminder left for it).</summary>
public sealed record ForgetMessage : MessageEffect;

/// <summary>Run attempt <paramref name="Attempt"/> through the delivery pipeline now; its journal is saved.</summary>
public sealed record SendAttempt(int Attempt) : MessageEffect;

/// <summary>Wake at <paramref name="At"/>; <paramref name="Durable"/>: with a reminder, so it happens whatever becomes of this silo.</summary>
public sealed record WakeAt(DateTimeOffset At, bool Durable) : MessageEffect;

/// <summary>
/// The message is final: <paramref name="Announce"/> its outcome (metrics, the completion listener) when that has not
/// been done, remove its reminder when <paramref name="ClearReminders"/> (one may exist), and leave memory.
/// </summary>
public sealed record CompleteMessage(bool Announce, bool ClearReminders) : MessageEffect;

/// <summary>Write the record first when <paramref name="Save"/>, and only then (if the write was taken) carry out <paramref name="Then"/>.</summary>
public sealed record MessagePlan(bool Save, MessageEffect Then);

/// <summary>
/// MessagePlanner decides every step of one message's life from its record, the clock and what just happened, and
/// nothing else (the grain loads, asks, writes, and carries out the effect):
/// <list type="bullet">
/// <item>Accepted: the record is new; without a delay, attempt 1 is journaled in the same write (one write fewer per
/// message) and runs in a turn of its own, after the caller has its answer; with one, a reminder wakes it.</item>
/// <item>Journal before send: an attempt is written as started (<see cref="MessageRecord.AttemptStartedAt"/>) before the
/// channel is called. Woken with an attempt journaled by an earlier activation (its silo died mid-send), the outcome
/// is unknown: retry it (at-least-once), flag a possible duplicate, and end receivers whose retries are used up.</item>
/// <item>After an attempt: receivers judged by the retry rules decide the status; while any may be retried, the next
/// attempt waits <see cref="RetryBackoff"/> (a provider's <c>Retry-After</c> when longer), woken by a reminder.</item>
/// <item>A write the store did not take is retried in <see cref="SaveRetryDelay"/>, before anything is sent.</item>
/// </list>
/// </summary>
public static partial class MessagePlanner
{
    public static readonly TimeSpan SaveRetryDelay = TimeSpan.FromSeconds(5);

    public static MessagePlan Accept(MessageProgress progress, string id, NotifyMessage message, string? requestId, DeliveryOptions options, DateTimeOffset now)
    {
        var record = new MessageRecord
        {
            Id = id,
            Message = message,
            Receivers = message.Receivers.Select(r => NewOutcome(r, RecipientKind.To))
                .Concat(message.Cc.Select(r => NewOutcome(r, RecipientKind.Cc)))
                .Concat(message.Bcc.Select(r => NewOutcome(r, RecipientKind.Bcc)))
                .ToList(),
            ContentMd5 = ContentHash.Compute(message),
            RequestId = requestId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        progress.Record = record;
        if (message.DelaySeconds > 0)
        {
            record.Status = MessageStatus.Pending;
            record.NextAttemptAt = now.AddSeconds(message.DelaySeconds);
            return new MessagePlan(Save: true, new WakeAt(record.NextAttemptAt.Value, Durable: true));
        }

        Journal(progress, options, now);
        return new MessagePlan(Save: true, new WakeAt(now, Durable: false));
    }

    /// <summary>A timer, a reminder or the recovery pass woke the message: whatever is due now.</summary>
    public static MessagePlan Wake(MessageProgress progress, DeliveryOptions options, DateTimeOffset now)
    {
        if (progress.Record is not { } record)
        {
            return new MessagePlan(Save: false, new ForgetMessage());
        }

        var save = progress.Unsaved;
        if (progress.CompletionPending || record.Status.IsFinal())
        {
            return new MessagePlan(save, new CompleteMessage(Announce: progress.CompletionPending, ClearReminders: MayHaveReminder(record)));
        }

        if (record.AttemptStartedAt is not null)
        {
            if (progress.JournaledAttempt == record.Attempts)
            {
                return new MessagePlan(save, new SendAttempt(record.Attempts));
            }

            RecoverUnknownAttempt(record, options.MaxRetries, now);
            save = true;
            if (record.Status.IsFinal())
            {
                return Finish(progress, now);
            }
        }

        if (record.NextAttemptAt is { } due && due > now)
        {
            // A retry schedule whose write failed has no reminder yet: it gets one with the write.
            return new MessagePlan(save, new WakeAt(due, Durable: save));
        }

        Journal(progress, options, now);
        return new MessagePlan(Save: true, new SendAttempt(record.Attempts));
    }

    /// <summary>Attempt <paramref name="attempt"/> went through the pipeline, which set each receiver's outcome.</summary>
    /// <param name="jitter">A number in [0, 1] that spreads retries (<see cref="RetryBackoff"/>).</param>
    public static MessagePlan AttemptFinished(MessageProgress progress, int attempt, AttemptResult result, DeliveryOptions options, DateTimeOffset now, double jitter)
    {
        var record = progress.Record!;
        progress.JournaledAttempt = null;
        if (result.OutcomeUnknown)
        {
            record.PossibleDuplicate = true;
            record.UnknownOutcomeAttempt = attempt;
        }

        record.Status = MessageOutcomes.Compute(record.Receivers);
        record.LastError = MessageOutcomes.LastError(record.Receivers) ?? record.LastError;
        record.AttemptStartedAt = null;
        record.UpdatedAt = now;
        if (record.Status.IsFinal())
        {
            return Finish(progress, now);
        }

        // Retrying (or, were a receiver left without an outcome, still Sending): the next attempt after the backoff.
        record.Status = MessageStatus.Retrying;
        var delay = RetryBackoff.DelayBeforeRetry(attempt, options.RetryBaseDelay, options.RetryMaxDelay, result.RetryAfter, jitter);
        record.NextAttemptAt = now + delay;
        return new MessagePlan(Save: true, new WakeAt(record.NextAttemptAt.Value, Durable: true));
    }

    /// <summary>The store did not take the write: keep the change, send nothing, and try the write again shortly.</summary>
    public static MessagePlan SaveFailed(MessageProgress progress, DateTimeOffset now)
    {
        progress.Unsaved = true;
        return new MessagePlan(Save: false, new WakeAt(now + SaveRetryDelay, Durable: false));
    }

    public static void Saved(MessageProgress progress) => progress.Unsaved = false;

    public static void Completed(MessageProgress progress) => progress.CompletionPending = false;

    /// <summary>A reminder was registered for this message at some point: a delay or a retry.</summary>
    public static bool MayHaveReminder(MessageRecord record) =>
        record.Message.DelaySeconds > 0 || record.Attempts > 1 || record.Status == MessageStatus.Retrying;

    /// <summary>Records that an attempt starts now (the journal's intent), to be written before the channel is called.</summary>
    private static void Journal(MessageProgress progress, DeliveryOptions options, DateTimeOffset now)
    {
        var record = progress.Record!;
        record.Attempts++;
        record.RetryCount = record.Attempts - 1;
        record.Status = MessageStatus.Sending;
        record.AttemptStartedAt = now;
        record.UpdatedAt = now;

        // Past this time a recovery pass treats the attempt as interrupted.
        record.NextAttemptAt = now + options.AttemptLease;
        progress.JournaledAttempt = record.Attempts;
    }

    /// <summary>
    /// An earlier activation journaled an attempt and never recorded its outcome (the silo died mid-send). The
    /// provider may have sent it: due again now, flagged, and receivers whose retries are used up end Failed.
    /// </summary>
    private static void RecoverUnknownAttempt(MessageRecord record, int maxRetries, DateTimeOffset now)
    {
        record.PossibleDuplicate = true;
        record.UnknownOutcomeAttempt = record.Attempts;
        record.AttemptStartedAt = null;
        record.NextAttemptAt = now;
        record.UpdatedAt = now;
        var unknown = SendFailure.Unknown($"outcome of attempt {record.Attempts} unknown: the silo stopped while it was in flight");
        foreach (var receiver in record.Receivers.Where(r => !r.Status.IsFinal()))
        {
            MessageOutcomes.ApplyFailure(receiver, unknown, record.Attempts, maxRetries, now);
        }

        record.Status = MessageOutcomes.Compute(record.Receivers);
        record.LastError = MessageOutcomes.LastError(record.Receivers) ?? record.LastError;
    }

    private static MessagePlan Finish(MessageProgress progress, DateTimeOffset now)
    {
        var record = progress.Record!;

        // A file's bytes are needed until the last attempt only; the final record keeps its name, length and MD5.
        record.Message = record.Message.WithoutMediaContent();
        record.NextAttemptAt = null;
        record.CompletedAt ??= now;
        record.UpdatedAt = now;
        progress.CompletionPending = true;
        return new MessagePlan(Save: true, new CompleteMessage(Announce: true, ClearReminders: MayHaveReminder(record)));
    }

    private static ReceiverOutcome NewOutcome(string receiver, RecipientKind kind) =>
        new() { Receiver = receiver, Kind = kind, Status = ReceiverStatus.Pending };
}
