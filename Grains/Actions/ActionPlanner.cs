using System.Globalization;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Scheduling;

namespace Notify.Grains.Actions;

/// <summary>What an action instance does next; the grain carries it out and asks again.</summary>
public abstract record ActionPlan;

/// <summary>Nothing to do: the instance does not exist or has finished.</summary>
public sealed record Idle : ActionPlan;

/// <summary>Start the run <paramref name="Ticket"/> of <paramref name="Step"/> now, one notice per way of <paramref name="Ways"/>.</summary>
public sealed record StartRun(NotifyStep Step, WakeTicket Ticket, IReadOnlyList<string> Ways) : ActionPlan;

/// <summary>Hand the current run's unsubmitted notice ways to the message pipeline.</summary>
public sealed record SubmitNotices : ActionPlan;

/// <summary>Ask these messages for their outcome: their completion is overdue.</summary>
public sealed record CheckOutcomes(IReadOnlyList<string> MessageIds) : ActionPlan;

/// <summary>Every notice of the current run is final (or the run timed out): record the run's outcome.</summary>
public sealed record CompleteRun(bool TimedOut) : ActionPlan;

/// <summary>The run failed and may be retried at <paramref name="At"/>.</summary>
public sealed record EnterRetry(DateTimeOffset At) : ActionPlan;

/// <summary>The run is done and the alert still abnormal: sleep until the next repeat.</summary>
public sealed record EnterSleep : ActionPlan;

/// <summary>A notice is due but may not start before <paramref name="Until"/> (the first notice's delay, or a user group's time range): enter WAITING.</summary>
public sealed record EnterWaiting(DateTimeOffset Until) : ActionPlan;

/// <summary>The repeat <paramref name="Ticket"/> is due but has nothing new to say: record it as skipped with <paramref name="Reason"/> and sleep on.</summary>
public sealed record SkipRun(NotifyStep Step, WakeTicket Ticket, string Reason) : ActionPlan;

/// <summary>The instance ends in <paramref name="Status"/>.</summary>
public sealed record Finish(ActionStatus Status, FailureType? FailureType) : ActionPlan;

/// <summary>Nothing is due before <paramref name="At"/>; wake then for <paramref name="Ticket"/>.</summary>
public sealed record WaitUntil(WakeTicket Ticket, DateTimeOffset At) : ActionPlan;

/// <summary>
/// ActionPlanner decides what an action instance does next from its state and the time, and nothing else (bk-monitor's
/// checker and <c>set_finished</c>, as one pure function):
/// <list type="bullet">
/// <item>A repeat of the abnormal notice is due <c>calc_action_interval(executeTimes)</c> seconds after the previous abnormal
/// run started, only while <c>needPoll</c>, the interval is positive and no stop signal (ack, recover, close) came.</item>
/// <item>A stop signal pre-empts repeats and pending retries: its step's notice is sent next (once), then the instance ends
/// with that run's outcome; without notice ways for the step it ends with the last run's outcome.</item>
/// <item>A run that fails (any failure type but timeout) is retried after <c>retryInterval</c>, at most <c>maxRetryTimes</c>
/// times. A run whose notices are not final within <c>timeout</c> fails with TIMEOUT, which is final.</item>
/// <item>A notice whose outcome has not arrived within the check delay is asked for, and again every delay after.</item>
/// <item>The first notice waits (WAITING) for <c>executeConfig.delay</c> after creation. A notice (but not a retry) that
/// falls due while every user group's notice time range is closed waits (WAITING) for the first to open
/// (<see cref="NoticeAudience"/>); its ways are the ones resolved when it starts.</item>
/// <item>An alert update that changes the level sends the abnormal notice at once when <c>notifyOnLevelChange</c> is set;
/// with <c>requireNewAnomaly</c> a repeat whose alert has no anomaly point newer than the last notice's is recorded as
/// skipped instead of sent.</item>
/// </list>
/// </summary>
public static class ActionPlanner
{
    /// <summary>What to do next. <paramref name="groups"/> are the instance's user groups as they are now (missing ones left out).</summary>
    /// <paramref name="maxRepeats"/> bounds the repeats of the abnormal notice (<see cref="ActionOptions.MaxRepeats"/>): past
    /// them the instance ends after its run, as one without a repeat interval does.
    public static ActionPlan Plan(ActionInstanceState state, IReadOnlyList<UserGroup> groups, TimeSpan outcomeCheckDelay, int maxRepeats, DateTimeOffset now)
    {
        if (state.Request is not { } request || state.Status.IsEnd())
        {
            return new Idle();
        }

        if (state.Status == ActionStatus.Running && state.CurrentRun is { Outcome: null } running)
        {
            return PlanRunning(state, request, running, outcomeCheckDelay, now);
        }

        if (state.Status == ActionStatus.Running)
        {
            return AfterRun(state, request, state.CurrentRun!, groups, maxRepeats, now);
        }

        return NextRun(state, request, groups, now);
    }

    /// <summary>The run a wake-up must name to be acted on: the one in flight, or the one the instance waits to start.</summary>
    public static WakeTicket CurrentTicket(ActionInstanceState state) => state.Status switch
    {
        ActionStatus.Running => new WakeTicket(state.ExecuteTimes, state.RetryTimes),
        ActionStatus.Retrying => new WakeTicket(state.ExecuteTimes, state.RetryTimes + 1),
        _ => new WakeTicket(state.ExecuteTimes + 1, 0),
    };

    /// <summary>True when a wake-up for <paramref name="ticket"/> may act; any other ticket is a duplicate or leftover.</summary>
    public static bool IsCurrent(WakeTicket ticket, ActionInstanceState state) =>
        state.Request is not null && !state.Status.IsEnd() && ticket == CurrentTicket(state);

    /// <summary>
    /// When the next notice (repeat, retry, level-change notice, or the one WAITING waits for) is due; null while a run is
    /// in flight or once finished.
    /// </summary>
    public static DateTimeOffset? NextNotifyTime(ActionInstanceState state) => state.Status switch
    {
        ActionStatus.Sleep when state.Stop is null => LevelChangeDue(state) ? state.UpdatedAt : RepeatDueAt(state),
        ActionStatus.Waiting => state.WaitingUntil,
        ActionStatus.Retrying when state.Stop is null or { NoticeStarted: true } => state.NextRetryAt,
        _ => null,
    };

    private static ActionPlan PlanRunning(ActionInstanceState state, CreateActionRequest request, NoticeRunState run, TimeSpan checkDelay, DateTimeOffset now)
    {
        if (run.Ways.Any(w => w.AwaitsSubmit))
        {
            return new SubmitNotices();
        }

        if (run.Ways.All(w => w.Status.IsFinal()))
        {
            return new CompleteRun(TimedOut: false);
        }

        var timeout = request.ExecuteConfig.FailedRetry.Timeout;
        DateTimeOffset? timeoutAt = timeout > 0 ? run.StartedAt.AddSeconds(timeout) : null;
        if (timeoutAt <= now)
        {
            return new CompleteRun(TimedOut: true);
        }

        var pending = run.Ways.Where(w => !w.Status.IsFinal()).ToList();
        var overdue = pending.Where(w => NextCheckAt(w, checkDelay) <= now).Select(w => w.MessageId!).ToList();
        if (overdue.Count > 0)
        {
            return new CheckOutcomes(overdue);
        }

        var nextCheck = pending.Min(w => NextCheckAt(w, checkDelay));
        var wakeAt = timeoutAt is { } limit && limit < nextCheck ? limit : nextCheck;
        return new WaitUntil(CurrentTicket(state), wakeAt);
    }

    /// <summary>The current run has its outcome; the instance is still RUNNING until this decides where it goes.</summary>
    private static ActionPlan AfterRun(ActionInstanceState state, CreateActionRequest request, NoticeRunState run, IReadOnlyList<UserGroup> groups, int maxRepeats, DateTimeOffset now)
    {
        var outcome = run.Outcome!.Value;
        if (run.FailureType == FailureType.Timeout)
        {
            return new Finish(ActionStatus.Failure, FailureType.Timeout);
        }

        var retry = request.ExecuteConfig.FailedRetry;
        var mayRetry = outcome == ActionStatus.Failure && retry.IsEnabled && run.RetryTimes < retry.MaxRetryTimes;
        if (state.Stop is { } stop)
        {
            if (stop.NoticeStarted)
            {
                return mayRetry ? new EnterRetry(now.AddSeconds(retry.RetryInterval)) : new Finish(outcome, run.FailureType);
            }

            return StopNoticeOrFinish(state, request, groups, stop, new Finish(outcome, run.FailureType), now);
        }

        if (mayRetry)
        {
            return new EnterRetry(now.AddSeconds(retry.RetryInterval));
        }

        var repeats = run.Step == NotifyStep.Abnormal && NotifyIntervalCalculator.Calculate(request.ExecuteConfig, state.ExecuteTimes) > 0
            && ActionQuotas.MayRepeat(state.ExecuteTimes, maxRepeats);
        return repeats || LevelChangeDue(state) ? new EnterSleep() : new Finish(outcome, run.FailureType);
    }

    /// <summary>RECEIVED, WAITING, SLEEP or RETRYING: which run starts next, and when.</summary>
    private static ActionPlan NextRun(ActionInstanceState state, CreateActionRequest request, IReadOnlyList<UserGroup> groups, DateTimeOffset now)
    {
        var last = new Finish(state.LastOutcome ?? ActionStatus.Skipped, state.LastFailureType);
        if (state.Stop is { NoticeStarted: false } stop)
        {
            return StopNoticeOrFinish(state, request, groups, stop, last, now);
        }

        switch (state.Status)
        {
            case ActionStatus.Received or ActionStatus.Waiting when state.ExecuteTimes == 0:
                return AbnormalRun(state, groups, state.CreatedAt.AddSeconds(request.ExecuteConfig.Delay), AbnormalKind.First, now);
            case ActionStatus.Retrying:
                var retryAt = state.NextRetryAt ?? now;
                return retryAt <= now
                    ? new StartRun(state.CurrentRun!.Step, CurrentTicket(state), state.CurrentRun.Ways.Select(w => w.NoticeWay).ToArray())
                    : new WaitUntil(CurrentTicket(state), retryAt);
            case ActionStatus.Sleep or ActionStatus.Waiting when state.Stop is null && LevelChangeDue(state):
                return AbnormalRun(state, groups, now, AbnormalKind.LevelChange, now);
            case ActionStatus.Sleep or ActionStatus.Waiting when state.Stop is null && RepeatDueAt(state) is { } due:
                return AbnormalRun(state, groups, due, AbnormalKind.Repeat, now);
            default:
                return last;
        }
    }

    private enum AbnormalKind
    {
        First,
        Repeat,
        LevelChange,
    }

    /// <summary>
    /// The abnormal notice due at <paramref name="due"/>: wait for it (or for a time range), skip a repeat that has nothing
    /// new or no ways, or start it.
    /// </summary>
    private static ActionPlan AbnormalRun(ActionInstanceState state, IReadOnlyList<UserGroup> groups, DateTimeOffset due, AbnormalKind kind, DateTimeOffset now)
    {
        var ticket = CurrentTicket(state);
        if (due > now)
        {
            return state.Status == ActionStatus.Received ? new EnterWaiting(due) : new WaitUntil(ticket, due);
        }

        var alert = state.CurrentAlert;
        var audience = NoticeAudience.Resolve(state.Request!.NotifyConfig, groups, alert.Level, NotifyStep.Abnormal, now);
        if (audience.OpensAt is { } opens)
        {
            return Wait(state, ticket, opens);
        }

        if (kind == AbnormalKind.Repeat && state.Request.ExecuteConfig.RequireNewAnomaly && !state.HasNewAnomaly)
        {
            return new SkipRun(NotifyStep.Abnormal, ticket, string.Create(CultureInfo.InvariantCulture,
                $"requireNewAnomaly: no anomaly point newer than the last notice's (latest {alert.AnomalyTime:O}, {alert.EventCount} events)"));
        }

        if (audience.Ways.Count == 0)
        {
            return kind == AbnormalKind.First
                ? new Finish(ActionStatus.Skipped, null)
                : new SkipRun(NotifyStep.Abnormal, ticket, $"no notice ways for level {alert.Level} at step abnormal, in the action or its user groups");
        }

        return new StartRun(NotifyStep.Abnormal, ticket, audience.Ways);
    }

    /// <summary>The stop signal's notice, once (or a wait for a time range); without notice ways the instance ends with <paramref name="otherwise"/>.</summary>
    private static ActionPlan StopNoticeOrFinish(
        ActionInstanceState state, CreateActionRequest request, IReadOnlyList<UserGroup> groups, ActionStop stop, Finish otherwise, DateTimeOffset now)
    {
        var step = stop.Signal.Step();
        var audience = NoticeAudience.Resolve(request.NotifyConfig, groups, state.CurrentAlert.Level, step, now);
        if (audience.Ways.Count == 0)
        {
            return otherwise;
        }

        var ticket = new WakeTicket(state.ExecuteTimes + 1, 0);
        return audience.OpensAt is { } opens ? Wait(state, ticket, opens) : new StartRun(step, ticket, audience.Ways);
    }

    private static ActionPlan Wait(ActionInstanceState state, WakeTicket ticket, DateTimeOffset until) =>
        state.Status == ActionStatus.Waiting && state.WaitingUntil == until ? new WaitUntil(ticket, until) : new EnterWaiting(until);

    /// <summary>The alert's level changed since the latest abnormal notice and the configuration asks to be told at once.</summary>
    private static bool LevelChangeDue(ActionInstanceState state) =>
        state.Request!.ExecuteConfig.NotifyOnLevelChange && state.Stop is null && state.NoticedLevel != 0 && state.CurrentAlert.Level != state.NoticedLevel;

    private static DateTimeOffset? RepeatDueAt(ActionInstanceState state)
    {
        var interval = state.ExecuteTimes > 0 ? NotifyIntervalCalculator.Calculate(state.Request!.ExecuteConfig, state.ExecuteTimes) : 0;
        return interval > 0 && state.LastNotifyTime is { } last ? last.AddSeconds(interval) : null;
    }

    private static DateTimeOffset NextCheckAt(NoticeWayState way, TimeSpan checkDelay) =>
        (way.CheckedAt ?? way.SubmittedAt ?? DateTimeOffset.MinValue) + checkDelay;
}
