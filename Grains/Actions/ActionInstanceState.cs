using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Grains.Actions;

/// <summary>The durable state of <see cref="ActionInstanceGrain"/>. <see cref="Request"/> is null until the instance is created.</summary>
[GenerateSerializer, Alias("notify.ActionInstanceState")]
public sealed class ActionInstanceState
{
    [Id(0)] public CreateActionRequest? Request { get; set; }

    [Id(1)] public ActionStatus Status { get; set; }

    [Id(2)] public FailureType? FailureType { get; set; }

    /// <summary>Notice runs started (bk-monitor's <c>execute_times</c>): the first notice is 1, each repeat or signal notice adds 1.</summary>
    [Id(3)] public int ExecuteTimes { get; set; }

    /// <summary>Retries of the current run.</summary>
    [Id(4)] public int RetryTimes { get; set; }

    [Id(5)] public AlertStatus AlertStatus { get; set; }

    [Id(6)] public bool Shielded { get; set; }

    /// <summary>The signal that ends the repeats; set once.</summary>
    [Id(7)] public ActionStop? Stop { get; set; }

    /// <summary>When the latest abnormal run started (its first attempt): the next repeat is due an interval after it.</summary>
    [Id(8)] public DateTimeOffset? LastNotifyTime { get; set; }

    [Id(9)] public DateTimeOffset? NextRetryAt { get; set; }

    [Id(10)] public List<NoticeRunState> Runs { get; set; } = [];

    [Id(11)] public int DroppedRuns { get; set; }

    /// <summary>Outcome of the latest completed run: the end status when the instance stops without another notice.</summary>
    [Id(12)] public ActionStatus? LastOutcome { get; set; }

    [Id(13)] public FailureType? LastFailureType { get; set; }

    [Id(14)] public DateTimeOffset CreatedAt { get; set; }

    [Id(15)] public DateTimeOffset UpdatedAt { get; set; }

    [Id(16)] public DateTimeOffset? EndTime { get; set; }

    /// <summary>The alert as last updated (<see cref="ActionAlertUpdate"/>); null until the first update, when the alert is the request's.</summary>
    [Id(17)] public ActionAlert? Alert { get; set; }

    /// <summary>The alert level the latest abnormal notice rendered; 0 before the first.</summary>
    [Id(18)] public int NoticedLevel { get; set; }

    /// <summary>The anomaly point the latest abnormal notice rendered: a repeat with <c>requireNewAnomaly</c> needs a newer one.</summary>
    [Id(19)] public DateTimeOffset? NoticedAnomalyTime { get; set; }

    [Id(20)] public int NoticedEventCount { get; set; }

    /// <summary>While WAITING: when the notice it waits for may start.</summary>
    [Id(21)] public DateTimeOffset? WaitingUntil { get; set; }

    public NoticeRunState? CurrentRun => Runs.Count > 0 ? Runs[^1] : null;

    /// <summary>The alert as it is now: the latest update's content, level, dimensions and anomaly point, the signalled status.</summary>
    public ActionAlert CurrentAlert => (Alert ?? Request!.Alert) with { Status = AlertStatus };

    /// <summary>The alert has an anomaly point (time or event count) newer than the one the latest abnormal notice rendered.</summary>
    public bool HasNewAnomaly =>
        NoticedAnomalyTime is not { } noticed || CurrentAlert.AnomalyTime > noticed || CurrentAlert.EventCount > NoticedEventCount;

    /// <summary>Remembers what an abnormal notice rendered, so later updates can be told apart from what was already sent.</summary>
    public void RecordRendered(ActionAlert alert)
    {
        NoticedLevel = alert.Level;
        NoticedAnomalyTime = alert.AnomalyTime;
        NoticedEventCount = alert.EventCount;
    }

    /// <summary>The run <paramref name="start"/> asks for: one pending way per resolved notice way (shielded ways are final at once).</summary>
    public NoticeRunState NewRun(StartRun start, DateTimeOffset now)
    {
        var request = Request!;
        var ticket = start.Ticket;
        return new NoticeRunState
        {
            Step = start.Step,
            ExecuteTimes = ticket.ExecuteTimes,
            RetryTimes = ticket.RetryTimes,
            StartedAt = now,
            Ways = start.Ways.Select(NoticeWay.Parse).Select(way => new NoticeWayState
            {
                NoticeWay = way.ToString(),
                Channel = way.Channel,
                Reference = ActionNoticeMessages.Reference(request.ActionId, start.Step, ticket.ExecuteTimes, ticket.RetryTimes, way),
                Status = Shielded ? NoticeWayStatus.Shielded : NoticeWayStatus.Pending,
                CompletedAt = Shielded ? now : null,
            }).ToList(),
        };
    }

    /// <summary>What starting <paramref name="run"/> changes besides the status: the counters, the repeat clock, the history.</summary>
    public void BeginRun(NoticeRunState run)
    {
        ExecuteTimes = run.ExecuteTimes;
        RetryTimes = run.RetryTimes;
        NextRetryAt = null;
        if (run.Step == NotifyStep.Abnormal && run.RetryTimes == 0)
        {
            LastNotifyTime = run.StartedAt;
        }

        if (Stop is { } stop && stop.Signal.Step() == run.Step)
        {
            stop.NoticeStarted = true;
        }

        WaitingUntil = null;
        AddRun(run);
    }

    private void AddRun(NoticeRunState run)
    {
        while (Runs.Count >= ActionLimits.MaxRunsKept)
        {
            Runs.RemoveAt(0);
            DroppedRuns++;
        }

        Runs.Add(run);
    }

    /// <summary>
    /// Records a repeat that fell due and was not sent (<paramref name="skip"/>): a run of its own with no notice ways,
    /// outcome SKIPPED and the reason. It takes the repeat's slot (its <c>executeTimes</c>, and the repeat clock restarts
    /// from now), as bk-monitor records a converged notice as a skipped action. The instance's outcome stays the last
    /// sent run's. The alert's level counts as noticed, so a level change that resolved to no ways is not asked for again.
    /// </summary>
    public NoticeRunState SkipRun(SkipRun skip, DateTimeOffset now)
    {
        var run = new NoticeRunState
        {
            Step = skip.Step,
            ExecuteTimes = skip.Ticket.ExecuteTimes,
            StartedAt = now,
            CompletedAt = now,
            Outcome = ActionStatus.Skipped,
            SkipReason = skip.Reason,
        };
        ExecuteTimes = run.ExecuteTimes;
        RetryTimes = 0;
        LastNotifyTime = now;
        NoticedLevel = CurrentAlert.Level;
        WaitingUntil = null;
        AddRun(run);
        return run;
    }

    /// <summary>Records the current run's aggregated outcome (<see cref="NoticeOutcomes"/>).</summary>
    public NoticeRunState CompleteRun(bool timedOut, DateTimeOffset now)
    {
        var run = CurrentRun!;
        (run.Outcome, run.FailureType) = NoticeOutcomes.Aggregate(run.Ways, timedOut);
        run.CompletedAt = now;
        LastOutcome = run.Outcome;
        LastFailureType = run.FailureType;
        return run;
    }

    public ActionInstanceView ToView(string source, string actionId, DateTimeOffset? nextNotifyTime) => new()
    {
        Source = source,
        ActionId = actionId,
        Request = Request!,
        Status = Status,
        FailureType = FailureType,
        ExecuteTimes = ExecuteTimes,
        RetryTimes = RetryTimes,
        NextNotifyTime = nextNotifyTime,
        Alert = CurrentAlert,
        StopSignal = Stop?.Signal,
        Shielded = Shielded,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        EndTime = EndTime,
        Runs = Runs.Select(r => r.ToView()).ToArray(),
        DroppedRuns = DroppedRuns,
    };
}

[GenerateSerializer, Alias("notify.ActionStop")]
public sealed class ActionStop
{
    [Id(0)] public ActionSignal Signal { get; set; }

    [Id(1)] public DateTimeOffset At { get; set; }

    /// <summary>The signal's notice run has started (later runs are only its retries).</summary>
    [Id(2)] public bool NoticeStarted { get; set; }
}

[GenerateSerializer, Alias("notify.NoticeRunState")]
public sealed class NoticeRunState
{
    [Id(0)] public NotifyStep Step { get; set; }

    [Id(1)] public int ExecuteTimes { get; set; }

    [Id(2)] public int RetryTimes { get; set; }

    [Id(3)] public DateTimeOffset StartedAt { get; set; }

    [Id(4)] public DateTimeOffset? CompletedAt { get; set; }

    [Id(5)] public ActionStatus? Outcome { get; set; }

    [Id(6)] public FailureType? FailureType { get; set; }

    [Id(7)] public List<NoticeWayState> Ways { get; set; } = [];

    /// <summary>Why the run sent nothing, for a run recorded as skipped without notice ways.</summary>
    [Id(8)] public string? SkipReason { get; set; }

    public ActionNoticeRun ToView() => new()
    {
        Step = Step,
        ExecuteTimes = ExecuteTimes,
        RetryTimes = RetryTimes,
        StartedAt = StartedAt,
        CompletedAt = CompletedAt,
        Outcome = Outcome,
        FailureType = FailureType,
        SkipReason = SkipReason,
        Results = Ways.Select(w => w.ToView()).ToArray(),
    };
}

/// <summary>One notice way of one run: the message it was submitted as and that message's outcome.</summary>
[GenerateSerializer, Alias("notify.NoticeWayState")]
public sealed class NoticeWayState
{
    [Id(0)] public required string NoticeWay { get; init; }

    [Id(1)] public NotifyChannel Channel { get; init; }

    [Id(2)] public required string Reference { get; init; }

    [Id(3)] public NoticeWayStatus Status { get; set; }

    [Id(4)] public string? MessageId { get; set; }

    [Id(5)] public int Sent { get; set; }

    [Id(6)] public int Failed { get; set; }

    [Id(7)] public int Suppressed { get; set; }

    [Id(8)] public int Blocked { get; set; }

    [Id(9)] public string? Error { get; set; }

    [Id(10)] public DateTimeOffset? SubmittedAt { get; set; }

    [Id(11)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When the instance last asked the message for its outcome (a completion that never came).</summary>
    [Id(12)] public DateTimeOffset? CheckedAt { get; set; }

    /// <summary>The notice could not be rendered for this way (the run fails with framework_code_failure).</summary>
    [Id(13)] public bool RenderFailed { get; set; }

    /// <summary>Pending and never handed to the message pipeline.</summary>
    public bool AwaitsSubmit => Status == NoticeWayStatus.Pending && MessageId is null;

    public NoticeResult ToView() => new()
    {
        NoticeWay = NoticeWay,
        Channel = Channel,
        Status = Status,
        MessageId = MessageId,
        Reference = Reference,
        Sent = Sent,
        Failed = Failed,
        Suppressed = Suppressed,
        Blocked = Blocked,
        Error = Error,
        SubmittedAt = SubmittedAt,
        CompletedAt = CompletedAt,
    };
}
