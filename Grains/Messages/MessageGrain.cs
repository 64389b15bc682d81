using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;
using Notify.Grains.Records;
using Notify.Grains.Telemetry;
using Orleans.Hosting;

namespace Notify.Grains.Messages;

/// <summary>
/// One accepted message, from acceptance to a final status. Its record is its state (one store write per transition,
/// guarded by the record's version). Attempts are journaled: the record says an attempt started before the channel
/// is called and what came of it afterwards, so a crash mid-send is retried and flagged as a possible duplicate,
/// never lost. Wake-ups: a grain timer while active; a reminder for delays and retries; the recovery pass for the rest.
/// </summary>
public sealed partial class MessageGrain(
    IMessageRecordStore store,
    DeliveryPipeline pipeline,
    IOptions<DeliveryOptions> deliveryOptions,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    NotifyMetrics metrics,
    ILogger<MessageGrain> logger) : Grain, IMessageGrain, IRemindable
{
    public const string WakeReminderName = "deliver";

    private static readonly TimeSpan SaveRetryDelay = TimeSpan.FromSeconds(5);

    private readonly DeliveryOptions _options = deliveryOptions.Value;
    private MessageRecord? _record;
    private int? _version;

    // True when the in-memory record has a change the store has not taken yet: nothing is sent until it has.
    private bool _unsaved;

    // True when the message became final but that write has not been taken yet: the final steps run once it is.
    private bool _completionPending;

    // The attempt this activation journaled and has not run yet; an attempt journaled by an earlier activation
    // that never recorded its outcome is an unknown outcome.
    private int? _journaledAttempt;
    private IGrainTimer? _wakeTimer;

    // The trace of the request that accepted the message: attempts run on timers, which carry no trace, so they
    // join this one explicitly (while this activation lives; a reactivated message's attempts start their own).
    private ActivityContext _acceptedTrace;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        StoredMessageRecord? stored;
        try
        {
            stored = await store.ReadAsync(this.GetPrimaryKeyString(), cancellationToken);
        }
        catch (RecordStoreUnavailableException exception)
        {
            // The caller (a submit, a query) gets a clear "try again", never an acknowledgement.
            throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", $"the record store is unavailable: {exception.Message}");
        }

        if (stored is not null)
        {
            (_record, _version) = (stored.Record, stored.Version);
            if (!_record.Status.IsFinal())
            {
                ScheduleWake(_record.NextAttemptAt ?? time.GetUtcNow());
            }
        }
    }

    public async Task<SubmitResult> AcceptAsync(NotifyMessage message, string? requestId)
    {
        var id = this.GetPrimaryKeyString();
        if (_record is not null)
        {
            return Replay(message, requestId);
        }

        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var record = NewRecord(id, message, requestId, now);
        try
        {
            _version = await store.WriteAsync(record, null);
        }
        catch (RecordStoreUnavailableException exception)
        {
            LogStoreUnavailable(exception, id);
            DeactivateOnIdle();
            throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", $"the message could not be recorded durably, so it was not accepted: {exception.Message}");
        }
        catch (RecordVersionConflictException)
        {
            // Another activation recorded this id first (a retried submit racing itself): answer as it did.
            DeactivateOnIdle();
            var existing = await store.ReadAsync(id) ?? throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", "the message record changed while it was being written; retry");
            _record = existing.Record;
            return Replay(message, requestId);
        }

        _record = record;
        _acceptedTrace = Activity.Current?.Context ?? default;
        metrics.Accepted(message.Channel, Stopwatch.GetElapsedTime(started));
        metrics.MessagePending(message.Channel, 1);
        if (message.DelaySeconds > 0)
        {
            await RegisterWakeReminderAsync(TimeSpan.FromSeconds(message.DelaySeconds));
        }

        ScheduleWake(message.DelaySeconds > 0 ? record.NextAttemptAt!.Value : now);
        return new SubmitResult(id, Replayed: false);
    }

    public Task<MessageRecord?> GetAsync() => Task.FromResult(_record);

    public Task ResumeAsync() => RunDueAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => RunDueAsync();

    private async Task RunDueAsync()
    {
        if (_record is not { } record)
        {
            await UnregisterWakeReminderAsync();
            DeactivateOnIdle();
            return;
        }

        if (_unsaved && !await TrySaveAsync())
        {
            return;
        }

        if (_completionPending)
        {
            await CompleteAsync(record);
            return;
        }

        if (record.Status.IsFinal())
        {
            await UnregisterWakeReminderAsync();
            DeactivateOnIdle();
            return;
        }

        var now = time.GetUtcNow();
        if (record.AttemptStartedAt is not null)
        {
            if (_journaledAttempt == record.Attempts)
            {
                await RunAttemptAsync(record);
                return;
            }

            RecoverUnknownAttempt(record, now);
            if (record.Status.IsFinal())
            {
                await FinishAsync(record);
                return;
            }
        }

        if (record.NextAttemptAt is { } due && due > now)
        {
            ScheduleWake(due);
            return;
        }

        JournalNextAttempt(record, now);
        if (await TrySaveAsync())
        {
            await RunAttemptAsync(record);
        }
    }

    private async Task RunAttemptAsync(MessageRecord record)
    {
        var attempt = record.Attempts;
        using var activity = NotifyMetrics.ActivitySource.StartActivity("notify.attempt", ActivityKind.Internal, _acceptedTrace);
        activity?.SetTag("notify.message_id", record.Id);
        activity?.SetTag("notify.channel", record.Channel.Name());
        activity?.SetTag("notify.attempt", attempt);

        var context = new DeliveryContext(record, attempt, time.GetUtcNow());
        var inPlay = record.Receivers
            .Where(r => !r.Status.IsFinal())
            .Select(r => new PendingReceiver(r))
            .ToList();
        await pipeline.RunAsync(context, inPlay, CancellationToken.None);

        var now = time.GetUtcNow();
        var wasRetrying = record.Status == MessageStatus.Retrying;
        foreach (var receiver in inPlay.Where(r => r.Failure is not null))
        {
            MessageOutcomes.ApplyFailure(receiver.Outcome, receiver.Failure!, attempt, _options.MaxRetries, now);
            if (receiver.Outcome.Status == ReceiverStatus.Failed)
            {
                await ReleaseReservationAsync(context, receiver);
            }
        }

        foreach (var receiver in inPlay)
        {
            if (receiver.Outcome.Status != ReceiverStatus.Pending)
            {
                metrics.ReceiverOutcome(record.Channel, receiver.Outcome, record.CreatedAt);
            }
        }

        record.PossibleDuplicate |= context.OutcomeUnknown;
        record.Status = MessageOutcomes.Compute(record.Receivers);
        record.LastError = MessageOutcomes.LastError(record.Receivers) ?? record.LastError;
        record.AttemptStartedAt = null;
        record.UpdatedAt = now;
        _journaledAttempt = null;
        activity?.SetTag("notify.status", record.Status.ToString());

        if (record.Status == MessageStatus.Retrying)
        {
            var retryAfter = inPlay.Where(r => r.Outcome.Status == ReceiverStatus.Retrying).Max(r => r.Failure?.RetryAfter);
            var delay = RetryBackoff.DelayBeforeRetry(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay, retryAfter, Random.Shared.NextDouble());
            record.NextAttemptAt = now + delay;
            if (!wasRetrying)
            {
                metrics.MessageRetrying(record.Channel, 1);
            }

            LogRetryScheduled(record.Id, attempt, delay, record.LastError);
            if (await TrySaveAsync())
            {
                await RegisterWakeReminderAsync(delay);
                ScheduleWake(record.NextAttemptAt.Value);
            }

            return;
        }

        if (wasRetrying)
        {
            metrics.MessageRetrying(record.Channel, -1);
        }

        await FinishAsync(record);
    }

    private async Task FinishAsync(MessageRecord record)
    {
        var now = time.GetUtcNow();
        record.NextAttemptAt = null;
        record.CompletedAt ??= now;
        record.UpdatedAt = now;
        _completionPending = true;
        if (await TrySaveAsync())
        {
            await CompleteAsync(record);
        }
    }

    /// <summary>What follows a durably final record: metrics, reminder clean-up, the listener, deactivation.</summary>
    private async Task CompleteAsync(MessageRecord record)
    {
        _completionPending = false;
        metrics.MessagePending(record.Channel, -1);
        LogFinished(record.Id, record.Status, record.Attempts);
        if (record.Attempts > 1 || record.Message.DelaySeconds > 0)
        {
            await UnregisterWakeReminderAsync();
        }

        _wakeTimer?.Dispose();
        await TellListenerAsync(record);
        DeactivateOnIdle();
    }

    private async Task TellListenerAsync(MessageRecord record)
    {
        if (record.Message.CompletionListener.Length == 0)
        {
            return;
        }

        try
        {
            var listener = GrainFactory.GetGrain<IMessageCompletionListener>(GrainId.Parse(record.Message.CompletionListener));
            await listener.OnMessageCompletedAsync(MessageCompletion.From(record));
        }
        catch (Exception exception)
        {
            // Best effort by contract: the listener asks for the record when it does not hear back.
            LogListenerFailed(exception, record.Id, record.Message.CompletionListener);
        }
    }

    private MessageRecord NewRecord(string id, NotifyMessage message, string? requestId, DateTimeOffset now)
    {
        var receivers = message.Receivers.Select(r => NewOutcome(r, RecipientKind.To))
            .Concat(message.Cc.Select(r => NewOutcome(r, RecipientKind.Cc)))
            .Concat(message.Bcc.Select(r => NewOutcome(r, RecipientKind.Bcc)))
            .ToList();
        var record = new MessageRecord
        {
            Id = id,
            Message = message,
            Receivers = receivers,
            ContentMd5 = ContentHash.Compute(message),
            RequestId = requestId,
            CreatedAt = now,
            UpdatedAt = now,
        };

        if (message.DelaySeconds > 0)
        {
            record.Status = MessageStatus.Pending;
            record.NextAttemptAt = now.AddSeconds(message.DelaySeconds);
        }
        else
        {
            // Accepting and journaling the first attempt in one write: one store round trip fewer per message.
            JournalNextAttempt(record, now);
        }

        return record;
    }

    private static ReceiverOutcome NewOutcome(string receiver, RecipientKind kind) =>
        new() { Receiver = receiver, Kind = kind, Status = ReceiverStatus.Pending };

    /// <summary>Records that an attempt starts now (the journal's intent); the record is written before the channel is called.</summary>
    private void JournalNextAttempt(MessageRecord record, DateTimeOffset now)
    {
        record.Attempts++;
        record.RetryCount = record.Attempts - 1;
        record.Status = MessageStatus.Sending;
        record.AttemptStartedAt = now;
        record.UpdatedAt = now;

        // Past this time a recovery pass treats the attempt as interrupted.
        record.NextAttemptAt = now + _options.AttemptLease;
        _journaledAttempt = record.Attempts;
    }

    /// <summary>
    /// An earlier activation journaled an attempt and never recorded its outcome (the silo died mid-send). The
    /// provider may have sent it: retry now, flag the record, and end receivers whose retries are used up.
    /// </summary>
    private void RecoverUnknownAttempt(MessageRecord record, DateTimeOffset now)
    {
        LogUnknownOutcome(record.Id, record.Attempts);
        record.PossibleDuplicate = true;
        record.AttemptStartedAt = null;
        record.NextAttemptAt = now;
        var unknown = Abstractions.Delivery.SendFailure.Transient($"outcome of attempt {record.Attempts} unknown: the silo stopped while it was in flight");
        foreach (var receiver in record.Receivers.Where(r => !r.Status.IsFinal()))
        {
            MessageOutcomes.ApplyFailure(receiver, unknown, record.Attempts, _options.MaxRetries, now);
        }

        record.Status = MessageOutcomes.Compute(record.Receivers);
        record.LastError = MessageOutcomes.LastError(record.Receivers) ?? record.LastError;
    }

    private async Task ReleaseReservationAsync(DeliveryContext context, PendingReceiver receiver)
    {
        try
        {
            await pipeline.FrequencyLimit.ReleaseAsync(context, receiver);
        }
        catch (Exception exception)
        {
            // The reservation then simply expires with its window.
            LogReleaseFailed(exception, context.MessageId, receiver.Address);
        }
    }

    private SubmitResult Replay(NotifyMessage message, string? requestId)
    {
        var existing = _record!;
        if (existing.RequestId != requestId || !SameMessage(existing.Message, message))
        {
            throw NotifyRequestException.Conflict("requestId", $"message {existing.Id} was already accepted with a different body");
        }

        return new SubmitResult(existing.Id, Replayed: true);
    }

    // Record equality compares list members by reference, and a record read back from the store has new lists: every
    // list member is compared by content.
    private static bool SameMessage(NotifyMessage a, NotifyMessage b) =>
        WithoutLists(a) == WithoutLists(b) &&
        a.Receivers.SequenceEqual(b.Receivers) && a.Cc.SequenceEqual(b.Cc) && a.Bcc.SequenceEqual(b.Bcc) &&
        a.MentionedList.SequenceEqual(b.MentionedList) && a.Adjustments.SequenceEqual(b.Adjustments);

    private static NotifyMessage WithoutLists(NotifyMessage message) =>
        message with { Receivers = [], Cc = [], Bcc = [], MentionedList = [], Adjustments = [] };

    private async Task<bool> TrySaveAsync()
    {
        try
        {
            _version = await store.WriteAsync(_record!, _version);
            _unsaved = false;
            return true;
        }
        catch (RecordVersionConflictException exception)
        {
            // A second activation owns this message now; this copy must not act on it.
            LogVersionConflict(exception, _record!.Id);
            _unsaved = false;
            _wakeTimer?.Dispose();
            DeactivateOnIdle();
            return false;
        }
        catch (Exception exception)
        {
            _unsaved = true;
            LogStoreUnavailable(exception, _record!.Id);
            ScheduleWake(time.GetUtcNow() + SaveRetryDelay);
            return false;
        }
    }

    private void ScheduleWake(DateTimeOffset due)
    {
        var dueIn = due - time.GetUtcNow();
        if (dueIn < TimeSpan.Zero)
        {
            dueIn = TimeSpan.Zero;
        }

        _wakeTimer?.Dispose();
        _wakeTimer = this.RegisterGrainTimer(RunDueAsync, new GrainTimerCreationOptions(dueIn, Timeout.InfiniteTimeSpan));
    }

    private async Task RegisterWakeReminderAsync(TimeSpan dueIn)
    {
        // The reminder is the durable wake-up (it survives the silo); the timer gives sub-minute precision.
        var period = reminderOptions.Value.MinimumReminderPeriod > TimeSpan.FromSeconds(1)
            ? reminderOptions.Value.MinimumReminderPeriod
            : TimeSpan.FromSeconds(1);
        try
        {
            await this.RegisterOrUpdateReminder(WakeReminderName, dueIn, period);
        }
        catch (Exception exception)
        {
            // The record is durable with its due time, so the recovery pass still wakes the message.
            LogReminderFailed(exception, this.GetPrimaryKeyString());
        }
    }

    private async Task UnregisterWakeReminderAsync()
    {
        try
        {
            if (await this.GetReminder(WakeReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception exception)
        {
            // A left-over reminder only wakes a final message, which then unregisters it again.
            LogReminderFailed(exception, this.GetPrimaryKeyString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: the record store is unavailable; will retry the write")]
    private partial void LogStoreUnavailable(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: the record was changed by another activation; this one stops")]
    private partial void LogVersionConflict(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: attempt {Attempt} has no recorded outcome; retrying it and flagging a possible duplicate")]
    private partial void LogUnknownOutcome(string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: attempt {Attempt} failed transiently, next in {Delay}: {Error}")]
    private partial void LogRetryScheduled(string messageId, int attempt, TimeSpan delay, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} is {Status} after {Attempts} attempt(s)")]
    private partial void LogFinished(string messageId, MessageStatus status, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: reminder registration failed; the recovery pass will wake it")]
    private partial void LogReminderFailed(Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: telling {Listener} of its outcome failed")]
    private partial void LogListenerFailed(Exception exception, string messageId, string listener);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: releasing the frequency-limit reservation of {Address} failed")]
    private partial void LogReleaseFailed(Exception exception, string messageId, string address);
}
