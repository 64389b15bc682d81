using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;
using Notify.Grains.Records;
using Notify.Grains.Scheduling;
using Notify.Grains.Telemetry;
using Orleans.Hosting;
using Orleans.Placement;

namespace Notify.Grains.Messages;

/// <summary>
/// One accepted message, from acceptance to a final status, driven by <see cref="MessagePlanner"/>: the grain loads,
/// asks the planner, writes, and carries out the effect. Its record is its state (one store write per transition,
/// guarded by the record's version). Placed on the silo that accepted it, whose channel sender sends it, so an accepted
/// message reaches its provider without crossing silos. A brand-new message is written without being read first: the
/// insert itself finds an existing record (a retried submit), which is then read and answered as a replay.
/// Wake-ups go through <see cref="WakeSchedule"/>: a grain timer while active, a reminder for delays and retries,
/// the recovery pass for an attempt interrupted with its silo.
/// </summary>
[PreferLocalPlacement]
public sealed partial class MessageGrain(
    IMessageRecordStore store,
    DeliveryPipeline pipeline,
    IOptions<DeliveryOptions> deliveryOptions,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    NotifyMetrics metrics,
    ILogger<MessageGrain> logger) : Grain, IMessageGrain, IRemindable
{
    // A plan leads to at most a recovery, a journal write, an attempt and its outcome write; more means a bug.
    private const int MaxPlanSteps = 8;

    private readonly DeliveryOptions _options = deliveryOptions.Value;
    private readonly MessageProgress _progress = new();
    private bool _loaded;
    private int? _version;
    private WakeSchedule? _wakeups;

    // The trace of the request that accepted the message: attempts run on timers, which carry no trace, so they
    // join this one explicitly (while this activation lives; a reactivated message's attempts start their own).
    private ActivityContext _acceptedTrace;

    private string Id => this.GetPrimaryKeyString();

    private WakeSchedule Wakeups => _wakeups ??= new WakeSchedule(
        this,
        _ => RunDueAsync(),
        reminderOptions.Value.MinimumReminderPeriod > TimeSpan.FromSeconds(1) ? reminderOptions.Value.MinimumReminderPeriod : TimeSpan.FromSeconds(1),
        time,
        logger);

    public async Task<SubmitResult> AcceptAsync(NotifyMessage message, string? requestId)
    {
        if (_loaded && _progress.Record is not null)
        {
            return Replay(message, requestId);
        }

        var started = Stopwatch.GetTimestamp();
        var plan = MessagePlanner.Accept(_progress, Id, message, requestId, _options, time.GetUtcNow());
        try
        {
            _version = await store.WriteAsync(_progress.Record!, null);
        }
        catch (RecordStoreUnavailableException exception)
        {
            LogStoreUnavailable(exception, Id);
            _progress.Record = null;
            DeactivateOnIdle();
            throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", $"the message could not be recorded durably, so it was not accepted: {exception.Message}");
        }
        catch (RecordVersionConflictException)
        {
            // The id has a record already (a retried submit): answer as the first submit was answered.
            _progress.Record = null;
            await LoadAsync();
            if (_progress.Record is not { } existing)
            {
                throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", "the message record changed while it was being written; retry");
            }

            if (!existing.Status.IsFinal())
            {
                // Its earlier activation is gone: carry on from the record in a turn of its own.
                Wakeups.SetTimer(Ticket(), time.GetUtcNow());
            }

            return Replay(message, requestId);
        }

        _loaded = true;
        _acceptedTrace = Activity.Current?.Context ?? default;
        metrics.Accepted(message.Channel, Stopwatch.GetElapsedTime(started));
        await CarryOutAsync(plan.Then);
        return new SubmitResult(Id, Replayed: false);
    }

    public async Task<MessageRecord?> GetAsync()
    {
        if (_loaded)
        {
            return _progress.Record;
        }

        // Interleaved with the grain's turns, so it reads without adopting what it read.
        try
        {
            return (await store.ReadAsync(Id))?.Record;
        }
        catch (RecordStoreUnavailableException exception)
        {
            throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", $"the record store is unavailable: {exception.Message}");
        }
    }

    public Task ResumeAsync() => RunDueAsync();

    public Task<MessageRecord> RetryAsync(OperatorRequest request) =>
        ActAsync(request, now => MessagePlanner.Retry(_progress, Id, request, _options, now));

    public Task<MessageRecord> CancelAsync(OperatorRequest request) =>
        ActAsync(request, now => MessagePlanner.Cancel(_progress, Id, request, now));

    /// <summary>
    /// Plans an operator's action, writes it, and answers once the store has it; what follows (the retry's attempt,
    /// the cancel's clean-up) runs as any plan's effect. A write the store refused leaves nothing changed.
    /// </summary>
    private async Task<MessageRecord> ActAsync(OperatorRequest request, Func<DateTimeOffset, MessagePlan> plan)
    {
        var errors = request.Validate(Id);
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        if (!_loaded)
        {
            await LoadAsync();
        }

        if (_progress.Record is null)
        {
            DeactivateOnIdle();
            throw NotifyRequestException.NotFound("id", $"no message has id '{Id}'");
        }

        var journaled = _progress.JournaledAttempt;
        var decided = plan(time.GetUtcNow());
        var record = _progress.Record!;
        try
        {
            _version = await store.WriteAsync(record, _version);
            MessagePlanner.Saved(_progress);
        }
        catch (Exception exception) when (exception is RecordStoreUnavailableException or RecordVersionConflictException)
        {
            // The planner changed this activation's copy only: read the stored one again on the next call.
            LogStoreUnavailable(exception, Id);
            _loaded = false;
            _progress.Record = null;
            _progress.JournaledAttempt = journaled;
            _progress.Unsaved = false;
            _progress.CompletionPending = false;
            throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", $"the operator action was not recorded, so nothing changed; retry: {exception.Message}");
        }

        var action = record.OperatorActions[^1];
        LogOperatorAction(Id, action.Kind, action.Operator, action.Receiver);
        if (record.Status == MessageStatus.Cancelled)
        {
            foreach (var receiver in record.Receivers.Where(r => r.Status == ReceiverStatus.Cancelled))
            {
                metrics.ReceiverOutcome(record.Channel, receiver, record.CreatedAt);
            }
        }

        await CarryOutAsync(decided.Then);
        return record;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => RunDueAsync();

    private async Task RunDueAsync()
    {
        if (!_loaded)
        {
            await LoadAsync();
        }

        await ExecuteAsync(MessagePlanner.Wake(_progress, _options, time.GetUtcNow()));
    }

    /// <summary>Carries out <paramref name="plan"/> and whatever follows from it, until the message waits or is done.</summary>
    private async Task ExecuteAsync(MessagePlan plan)
    {
        for (var step = 0; step < MaxPlanSteps; step++)
        {
            if (plan.Save && !await TrySaveAsync())
            {
                return;
            }

            if (plan.Then is not SendAttempt send)
            {
                await CarryOutAsync(plan.Then);
                return;
            }

            var result = await RunAttemptAsync(send.Attempt);
            plan = MessagePlanner.AttemptFinished(_progress, send.Attempt, result, _options, time.GetUtcNow(), Random.Shared.NextDouble());
            LogIfRetrying(send.Attempt);
        }

        throw new InvalidOperationException($"message {Id}: the planner did not settle within {MaxPlanSteps} steps");
    }

    private async Task CarryOutAsync(MessageEffect effect)
    {
        switch (effect)
        {
            case WakeAt { Durable: true } wake:
                await Wakeups.SetAsync(Ticket(), wake.At);
                break;
            case WakeAt wake:
                Wakeups.SetTimer(Ticket(), wake.At);
                break;
            case CompleteMessage complete:
                await CompleteAsync(complete);
                break;
            case ForgetMessage:
                await Wakeups.ClearAsync();
                DeactivateOnIdle();
                break;
        }
    }

    private async Task<AttemptResult> RunAttemptAsync(int attempt)
    {
        var record = _progress.Record!;
        using var activity = NotifyMetrics.ActivitySource.StartActivity("notify.attempt", ActivityKind.Internal, _acceptedTrace);
        activity?.SetTag("notify.message_id", record.Id);
        activity?.SetTag("notify.channel", record.Channel.Name());
        activity?.SetTag("notify.attempt", attempt);

        var context = new DeliveryContext(record, attempt, time.GetUtcNow());
        var inPlay = record.Receivers.Where(r => !r.Status.IsFinal()).Select(r => new PendingReceiver(r)).ToList();
        var result = await pipeline.RunAsync(context, inPlay, CancellationToken.None);
        foreach (var receiver in inPlay.Where(r => r.Outcome.Status != ReceiverStatus.Pending))
        {
            metrics.ReceiverOutcome(record.Channel, receiver.Outcome, record.CreatedAt);
        }

        activity?.SetTag("notify.status", MessageOutcomes.Compute(record.Receivers).ToString());
        return result;
    }

    private void LogIfRetrying(int attempt)
    {
        var record = _progress.Record!;
        if (record.Status == MessageStatus.Retrying)
        {
            LogRetryScheduled(record.Id, attempt, record.NextAttemptAt!.Value - record.UpdatedAt, record.LastError);
        }
    }

    /// <summary>What follows a durably final record: the log, the listener, reminder clean-up, deactivation.</summary>
    private async Task CompleteAsync(CompleteMessage complete)
    {
        var record = _progress.Record!;
        if (complete.Announce)
        {
            MessagePlanner.Completed(_progress);
            LogFinished(record.Id, record.Status, record.Attempts);
            await TellListenerAsync(record);
        }

        if (complete.ClearReminders)
        {
            await Wakeups.ClearAsync();
        }
        else
        {
            Wakeups.CancelTimer();
        }

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

    /// <summary>The run a wake-up is for: the next attempt to start (reminders are named after it).</summary>
    private WakeTicket Ticket() => new(_progress.Record!.Attempts + 1, 0);

    private async Task LoadAsync()
    {
        StoredMessageRecord? stored;
        try
        {
            stored = await store.ReadAsync(Id);
        }
        catch (RecordStoreUnavailableException exception)
        {
            // The caller (a wake-up, the recovery pass) tries again; nothing is decided on a record not read.
            throw new NotifyRequestException(RequestErrorKind.Unavailable, "store", $"the record store is unavailable: {exception.Message}");
        }

        _loaded = true;
        _progress.Record = stored?.Record;
        _version = stored?.Version;
        if (stored is not null && _progress.Record!.AttemptStartedAt is not null)
        {
            LogUnknownOutcome(Id, _progress.Record.Attempts);
        }
    }

    private SubmitResult Replay(NotifyMessage message, string? requestId)
    {
        var existing = _progress.Record!;
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
        a.MentionedList.SequenceEqual(b.MentionedList) && a.MentionedMobileList.SequenceEqual(b.MentionedMobileList) &&
        a.Adjustments.SequenceEqual(b.Adjustments);

    private static NotifyMessage WithoutLists(NotifyMessage message) =>
        message with { Receivers = [], Cc = [], Bcc = [], MentionedList = [], MentionedMobileList = [], Adjustments = [] };

    private async Task<bool> TrySaveAsync()
    {
        try
        {
            _version = await store.WriteAsync(_progress.Record!, _version);
            MessagePlanner.Saved(_progress);
            return true;
        }
        catch (RecordVersionConflictException exception)
        {
            // A second activation owns this message now; this copy must not act on it.
            LogVersionConflict(exception, Id);
            MessagePlanner.Saved(_progress);
            Wakeups.CancelTimer();
            DeactivateOnIdle();
            return false;
        }
        catch (Exception exception)
        {
            LogStoreUnavailable(exception, Id);
            await CarryOutAsync(MessagePlanner.SaveFailed(_progress, time.GetUtcNow()).Then);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: operator {Operator} asked for {Action} (receiver {Receiver})")]
    private partial void LogOperatorAction(string messageId, OperatorActionKind action, string @operator, string? receiver);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: telling {Listener} of its outcome failed")]
    private partial void LogListenerFailed(Exception exception, string messageId, string listener);
}
