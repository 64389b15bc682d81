using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Orleans.Hosting;

namespace Notify.Grains.Attention;

/// <summary>
/// One person's attention budget in one tenant, driven by <see cref="AttentionBudgetPlanner"/>: the grain loads, asks
/// the planner, writes, then carries out the effect. A decision is written before it is answered, so the digest a
/// held notice names exists durably. The <c>digest</c> reminder (with a grain timer for the exact time while active)
/// wakes it when the next digest is due; a due digest is written as outgoing first, then submitted to its own message
/// grain under the id the planner gave it, so it is a normal message with a record and a second submit is a replay.
/// </summary>
public sealed partial class PersonAttentionGrain(
    [PersistentState(PersonAttentionGrain.StateName, NotifyStorage.Name)] IPersistentState<PersonAttentionState> state,
    IOptions<AttentionOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<PersonAttentionGrain> logger) : Grain, IPersonAttentionGrain, IRemindable
{
    public const string StateName = "attention";
    public const string DigestReminder = "digest";

    /// <summary>How long a digest that could not be submitted waits before the next try.</summary>
    private static readonly TimeSpan SubmitRetryDelay = TimeSpan.FromSeconds(30);

    private readonly AttentionBudgetPolicy _policy = options.Value.ToPolicy();
    private IGrainTimer? _timer;
    private DateTimeOffset? _timerAt;
    private DateTimeOffset? _reminderAt;
    private DateTimeOffset? _submitRetryAt;

    // Unknown after activation (a reminder outlives it); known absent once removed, so a send-now never reads the table.
    private bool _mayHaveReminder = true;

    private PersonAttentionState State => state.State;

    private TimeSpan ReminderPeriod =>
        reminderOptions.Value.MinimumReminderPeriod > TimeSpan.FromSeconds(1) ? reminderOptions.Value.MinimumReminderPeriod : TimeSpan.FromSeconds(1);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The reminder, if any, is already registered; the timer gives the exact time while this activation lives.
        if (NextWake() is { } at)
        {
            SetTimer(at);
        }

        return Task.CompletedTask;
    }

    public async Task<AttentionDecision> DecideAsync(AttentionNotice notice, string receiver)
    {
        var now = time.GetUtcNow();
        if (Repeated(notice.MessageId, notice.Channel) is { } earlier)
        {
            return earlier;
        }

        var decision = AttentionBudgetPlanner.Decide(State.Budget, _policy, notice, now, GrainKeys.NewMessageId());
        if (decision is SendNow)
        {
            foreach (var old in State.SentNow.Where(e => e.Value + _policy.Window <= now).Select(e => e.Key).ToList())
            {
                State.SentNow.Remove(old);
            }

            State.SentNow[notice.MessageId] = now;
        }
        else
        {
            State.Receivers.TryAdd(notice.Channel, receiver);
        }

        await state.WriteOrDeactivateAsync(this);
        await ScheduleAsync();
        return decision;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DigestReminder)
        {
            await SendDueAsync();
        }
    }

    public async Task SendDueAsync()
    {
        // Whatever woke it, the schedule is set again below: a wake-up that came early finds nothing due and re-arms.
        _timerAt = null;
        var now = time.GetUtcNow();
        var due = AttentionBudgetPlanner.TakeDue(State.Budget, now);
        if (due.Count > 0)
        {
            foreach (var digest in due)
            {
                State.Outgoing.Add(new OutgoingDigest(digest, State.Receivers[digest.Channel]));
                State.Receivers.Remove(digest.Channel);
            }

            await state.WriteOrDeactivateAsync(this);
        }

        _submitRetryAt = State.Outgoing.Count > 0 && !await SubmitOutgoingAsync() ? now + SubmitRetryDelay : null;

        await ScheduleAsync();
    }

    /// <summary>The earlier answer for a message already decided (a retried attempt), if there is one.</summary>
    private AttentionDecision? Repeated(string messageId, string channel)
    {
        if (State.SentNow.ContainsKey(messageId))
        {
            return new SendNow();
        }

        return State.Budget.Digests.TryGetValue(channel, out var open) && open.Entries.Any(e => e.MessageId == messageId)
            ? new FoldIntoDigest(open.DigestId, open.DueAt)
            : null;
    }

    /// <summary>Submits every outgoing digest; true when all were accepted (and the state written without them).</summary>
    private async Task<bool> SubmitOutgoingAsync()
    {
        var submitted = new List<OutgoingDigest>();
        foreach (var outgoing in State.Outgoing)
        {
            try
            {
                var message = NotifyMessageValidator.EnsureValid(AttentionDigestMessages.Build(outgoing.Digest, outgoing.Receiver));
                await GrainFactory.GetGrain<IMessageGrain>(outgoing.Digest.DigestId).AcceptAsync(message, requestId: null);
                submitted.Add(outgoing);
                LogDigestSubmitted(this.GetPrimaryKeyString(), outgoing.Digest.DigestId, outgoing.Digest.Channel, outgoing.Digest.Entries.Count);
            }
            catch (Exception exception)
            {
                LogDigestFailed(exception, this.GetPrimaryKeyString(), outgoing.Digest.DigestId);
            }
        }

        // Written after every round, one that submitted nothing too: a digest still to be sent keeps its state's last
        // write recent, so retention (GrainStateRetention, by last write) never deletes it.
        State.Outgoing.RemoveAll(submitted.Contains);
        await state.WriteOrDeactivateAsync(this);
        return State.Outgoing.Count == 0;
    }

    private DateTimeOffset? NextWake() =>
        State.Outgoing.Count > 0 ? _submitRetryAt ?? time.GetUtcNow() : AttentionBudgetPlanner.NextDue(State.Budget);

    /// <summary>Points the timer and the reminder at the next due digest, writing the reminder only when that time changed.</summary>
    private async Task ScheduleAsync()
    {
        var next = NextWake();
        if (next is not { } at)
        {
            _timer?.Dispose();
            (_timer, _timerAt) = (null, null);
            try
            {
                if (_mayHaveReminder && await this.GetReminder(DigestReminder) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                (_mayHaveReminder, _reminderAt) = (false, null);
            }
            catch (Exception exception)
            {
                // A left-over reminder ticks, finds nothing due and is removed then.
                LogReminderFailed(exception, this.GetPrimaryKeyString());
            }
            return;
        }

        if (_timerAt != at)
        {
            SetTimer(at);
        }

        if (_reminderAt != at)
        {
            try
            {
                _mayHaveReminder = true;
                await this.RegisterOrUpdateReminder(DigestReminder, DueIn(at), ReminderPeriod);
                _reminderAt = at;
            }
            catch (Exception exception)
            {
                // The timer still fires while this activation lives, and the next decision tries the reminder again.
                LogReminderFailed(exception, this.GetPrimaryKeyString());
            }
        }
    }

    private void SetTimer(DateTimeOffset at)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(SendDueAsync, new GrainTimerCreationOptions(DueIn(at), Timeout.InfiniteTimeSpan));
        _timerAt = at;
    }

    private TimeSpan DueIn(DateTimeOffset at)
    {
        var dueIn = at - time.GetUtcNow();
        return dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Person}: digest {DigestId} on {Channel} submitted with {Count} held notices")]
    private partial void LogDigestSubmitted(string person, string digestId, string channel, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Person}: the digest reminder could not be written")]
    private partial void LogReminderFailed(Exception exception, string person);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Person}: digest {DigestId} could not be submitted; trying again")]
    private partial void LogDigestFailed(Exception exception, string person, string digestId);
}
