namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// Status of an action instance (bk-monitor's <c>ActionStatus</c>, the subset a notice action uses). The end
/// statuses are defined once, in <see cref="ActionStatuses.End"/>: bk-monitor keeps two lists that disagree.
/// </summary>
[GenerateSerializer, Alias("notify.ActionStatus")]
public enum ActionStatus
{
    /// <summary>Created and durable; the first notice has not started.</summary>
    Received = 0,
    /// <summary>
    /// A notice is due but may not start yet: the first notice waits for <c>executeConfig.delay</c>, or a notice waits for
    /// a notice time range of the user groups to open. (bk-monitor also waits here for approval, which this cluster has not.)
    /// </summary>
    Waiting = 1,
    /// <summary>A notice run is in flight: its messages are submitted and their outcomes awaited.</summary>
    Running = 2,
    /// <summary>Between repeat notices: the next one is due at the next notify time.</summary>
    Sleep = 3,
    /// <summary>The last run failed and is retried after <c>failedRetry.retryInterval</c> (bk-monitor's <c>retrying</c>).</summary>
    Retrying = 4,
    /// <summary>Every notice way of the last run was sent.</summary>
    Success = 5,
    /// <summary>Some notice ways of the last run were sent in full, others failed.</summary>
    PartialSuccess = 6,
    /// <summary>Nothing of the last run was sent (see the failure type).</summary>
    Failure = 7,
    /// <summary>Some notice ways failed and none was sent in full: some receivers were reached, only by partly sent ways.</summary>
    PartialFailure = 8,
    /// <summary>Nothing needed sending: every notice was suppressed by the frequency limit (bk-monitor: converged).</summary>
    Skipped = 9,
    /// <summary>The last notice run happened while the instance was shielded (muted).</summary>
    Shield = 10,
    /// <summary>Every receiver was blocked (blacklist).</summary>
    Blocked = 11,
}

/// <summary>
/// Why an action instance failed (bk-monitor's <c>FailureType</c>, the values a notice action can produce; the numbers of
/// bk-monitor's other values, never produced here, stay unused so stored states keep their meaning).
/// </summary>
[GenerateSerializer, Alias("notify.FailureType")]
public enum FailureType
{
    /// <summary>The notice could not be rendered (the renderer or its template failed): our code, not the channel.</summary>
    FrameworkCodeFailure = 0,
    /// <summary>The notices were not final within <c>failedRetry.timeout</c>. Final: never retried.</summary>
    Timeout = 2,
    /// <summary>Notices were submitted and failed.</summary>
    ExecuteFailure = 3,
    /// <summary>No notice could even be submitted (no receivers, or the submit was refused).</summary>
    CreateFailure = 4,
    /// <summary>Every receiver was blocked (blacklist).</summary>
    Blocked = 8,
}

/// <summary>The alert's status as the caller reports it (bk-monitor's <c>EventStatus</c>).</summary>
[GenerateSerializer, Alias("notify.AlertStatus")]
public enum AlertStatus
{
    Abnormal = 0,
    Recovered = 1,
    Closed = 2,
}

/// <summary>How the repeat interval grows (bk-monitor's <c>IntervalNotifyMode</c>).</summary>
[GenerateSerializer, Alias("notify.IntervalNotifyMode")]
public enum IntervalNotifyMode
{
    /// <summary>Every <c>notifyInterval</c> seconds.</summary>
    Standard = 0,
    /// <summary><c>notifyInterval × 2^(executeTimes − 1)</c> seconds: the gap doubles after every notice.</summary>
    Increasing = 1,
}

/// <summary>The notice steps of bk-monitor; <c>notifyConfig.steps</c> maps each to its notice ways.</summary>
[GenerateSerializer, Alias("notify.NotifyStep")]
public enum NotifyStep
{
    Abnormal = 0,
    Recovered = 1,
    Closed = 2,
    Ack = 3,
    /// <summary>bk-monitor's execution steps belong to non-notice actions; this cluster only sends notices and refuses them.</summary>
    Execute = 4,
    ExecuteSuccess = 5,
    ExecuteFailed = 6,
}

/// <summary>A caller's signal that stops the repeat notices of an instance.</summary>
[GenerateSerializer, Alias("notify.ActionSignal")]
public enum ActionSignal
{
    Ack = 0,
    Recover = 1,
    Close = 2,
}

/// <summary>What became of one notice way of one run: the final status of its message, or why none was sent.</summary>
[GenerateSerializer, Alias("notify.NoticeWayStatus")]
public enum NoticeWayStatus
{
    /// <summary>Not submitted yet, or its message is not final.</summary>
    Pending = 0,
    Sent = 1,
    PartiallySent = 2,
    /// <summary>The message failed, could not be submitted, or had no receivers.</summary>
    Failed = 3,
    /// <summary>Every receiver had the same content within the frequency limit.</summary>
    Suppressed = 4,
    /// <summary>Every receiver is blacklisted.</summary>
    Blocked = 5,
    /// <summary>Not sent because the instance was shielded; recorded so the history shows it.</summary>
    Shielded = 6,
}

public static class ActionStatuses
{
    /// <summary>The final statuses: an instance in one of them takes no more signals and has no reminder.</summary>
    public static IReadOnlySet<ActionStatus> End { get; } = new HashSet<ActionStatus>
    {
        ActionStatus.Success,
        ActionStatus.PartialSuccess,
        ActionStatus.Failure,
        ActionStatus.PartialFailure,
        ActionStatus.Skipped,
        ActionStatus.Shield,
        ActionStatus.Blocked,
    };

    public static bool IsEnd(this ActionStatus status) => End.Contains(status);

    public static NotifyStep Step(this ActionSignal signal) => signal switch
    {
        ActionSignal.Ack => NotifyStep.Ack,
        ActionSignal.Recover => NotifyStep.Recovered,
        ActionSignal.Close => NotifyStep.Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "unknown signal"),
    };

    public static bool IsFinal(this NoticeWayStatus status) => status != NoticeWayStatus.Pending;
}
