using Notify.Grains.Abstractions.Actions;

namespace Notify.Grains.Actions;

/// <summary>
/// ActionTransitions is the action instance's state machine as a table: which status may follow which. Every status
/// change goes through <c>ActionInstanceGrain.UpdateStatusAsync(from, to, …)</c>, which refuses anything not listed.
/// <code>
/// RECEIVED  → RUNNING (first notice, or a signal's notice) | WAITING (the first notice's delay, or every group's time
///             range closed) | SKIPPED (stopped before any notice, nothing to send)
/// WAITING   → RUNNING (the awaited notice, or a signal's notice) | WAITING (waits longer: the delay ended in a closed
///             range) | SLEEP (a deferred repeat with nothing new, recorded skipped) | the last run's outcome (stopped)
/// RUNNING   → RUNNING (a signal's notice right after the run) | SLEEP (repeat due later) | RETRYING (failed, retry due)
///           | WAITING (a signal's notice, every range closed)
///           | SUCCESS | PARTIAL_SUCCESS | FAILURE | PARTIAL_FAILURE | SKIPPED | SHIELD | BLOCKED (the run's outcome, final)
/// SLEEP     → RUNNING (repeat or signal notice) | WAITING (due while every range is closed)
///           | the last run's outcome (stopped, no notice configured for the signal)
/// RETRYING  → RUNNING (the retry, or a signal's notice) | WAITING (a signal's notice, every range closed)
///           | FAILURE (stopped, no notice configured for the signal)
/// end       → nothing.
/// </code>
/// </summary>
public static class ActionTransitions
{
    private static readonly ActionStatus[] RunOutcomes =
    [
        ActionStatus.Success, ActionStatus.PartialSuccess, ActionStatus.Failure, ActionStatus.PartialFailure,
        ActionStatus.Skipped, ActionStatus.Shield, ActionStatus.Blocked,
    ];

    private static readonly IReadOnlyDictionary<ActionStatus, IReadOnlySet<ActionStatus>> Allowed = new Dictionary<ActionStatus, IReadOnlySet<ActionStatus>>
    {
        [ActionStatus.Received] = new HashSet<ActionStatus> { ActionStatus.Running, ActionStatus.Waiting, ActionStatus.Skipped },
        [ActionStatus.Waiting] = new HashSet<ActionStatus>([ActionStatus.Running, ActionStatus.Waiting, ActionStatus.Sleep, .. RunOutcomes]),
        [ActionStatus.Running] = new HashSet<ActionStatus>([ActionStatus.Running, ActionStatus.Sleep, ActionStatus.Retrying, ActionStatus.Waiting, .. RunOutcomes]),
        [ActionStatus.Sleep] = new HashSet<ActionStatus>([ActionStatus.Running, ActionStatus.Waiting, .. RunOutcomes]),
        [ActionStatus.Retrying] = new HashSet<ActionStatus> { ActionStatus.Running, ActionStatus.Waiting, ActionStatus.Failure },
    };

    public static bool IsAllowed(ActionStatus from, ActionStatus to) =>
        Allowed.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>Why moving an instance that is <paramref name="current"/> from <paramref name="from"/> to <paramref name="to"/> is refused; null when it is allowed.</summary>
    public static string? Refusal(ActionStatus current, ActionStatus from, ActionStatus to) =>
        current != from ? $"refusing {from.WireName()} → {to.WireName()}: the instance is {current.WireName()}, not {from.WireName()}"
        : !IsAllowed(from, to) ? $"{from.WireName()} → {to.WireName()} is not a transition of the action state machine"
        : null;
}
