using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Actions;

/// <summary>
/// NoticeOutcomes turns the outcomes of a run's notice ways into the run's status (bk-monitor: all ways sent →
/// SUCCESS, some → PARTIAL_SUCCESS, none → FAILURE; a way that reached only some receivers counts as partly failed, so a
/// run where ways failed and none was sent in full is PARTIAL_FAILURE). Suppressed (frequency limit) and Blocked
/// (blacklist) ways are the pipeline doing its job, not failures: they are left out of that count. A run with nothing
/// left to count is SKIPPED when a way was suppressed (its content already reached the receivers), otherwise BLOCKED. A
/// run that timed out is FAILURE/timeout whatever else happened. A failed run's type says where it failed: a notice that
/// could not be rendered is framework_code_failure, one that could not be submitted create_failure, one the channel
/// failed execute_failure.
/// </summary>
public static class NoticeOutcomes
{
    public static (ActionStatus Status, FailureType? FailureType) Aggregate(IReadOnlyCollection<NoticeWayState> ways, bool timedOut)
    {
        if (timedOut)
        {
            return (ActionStatus.Failure, FailureType.Timeout);
        }

        if (ways.Any(w => !w.Status.IsFinal()))
        {
            throw new InvalidOperationException("a run is aggregated only once every notice way is final or the run timed out");
        }

        if (ways.Count > 0 && ways.All(w => w.Status == NoticeWayStatus.Shielded))
        {
            return (ActionStatus.Shield, null);
        }

        var counted = ways.Where(w => w.Status is NoticeWayStatus.Sent or NoticeWayStatus.PartiallySent or NoticeWayStatus.Failed).ToList();
        if (counted.Count == 0)
        {
            return ways.Any(w => w.Status == NoticeWayStatus.Blocked) && ways.All(w => w.Status != NoticeWayStatus.Suppressed)
                ? (ActionStatus.Blocked, FailureType.Blocked)
                : (ActionStatus.Skipped, null);
        }

        if (counted.All(w => w.Status == NoticeWayStatus.Sent))
        {
            return (ActionStatus.Success, null);
        }

        if (counted.Any(w => w.Status == NoticeWayStatus.Sent))
        {
            return (ActionStatus.PartialSuccess, null);
        }

        if (counted.Any(w => w.Status == NoticeWayStatus.PartiallySent))
        {
            return (ActionStatus.PartialFailure, null);
        }

        return counted.Any(w => w.MessageId is not null) ? (ActionStatus.Failure, FailureType.ExecuteFailure)
            : counted.Any(w => w.RenderFailed) ? (ActionStatus.Failure, FailureType.FrameworkCodeFailure)
            : (ActionStatus.Failure, FailureType.CreateFailure);
    }

    public static NoticeWayStatus FromMessage(MessageStatus status) => status switch
    {
        MessageStatus.Sent => NoticeWayStatus.Sent,
        MessageStatus.PartiallySent => NoticeWayStatus.PartiallySent,
        MessageStatus.Failed => NoticeWayStatus.Failed,
        MessageStatus.Suppressed => NoticeWayStatus.Suppressed,
        MessageStatus.Blocked => NoticeWayStatus.Blocked,

        // An operator stopped it: the way did not notify anyone it had not already.
        MessageStatus.Cancelled => NoticeWayStatus.Failed,
        _ => NoticeWayStatus.Pending,
    };

    /// <summary>Records a message's final outcome on its way; false when the way already had one (a repeated completion).</summary>
    public static bool Apply(NoticeWayState way, MessageCompletion completion, DateTimeOffset now)
    {
        var status = FromMessage(completion.Status);
        if (way.Status.IsFinal() || !status.IsFinal())
        {
            return false;
        }

        way.Status = status;
        way.Sent = completion.Sent;
        way.Failed = completion.Failed;
        way.Suppressed = completion.Suppressed;
        way.Blocked = completion.Blocked;
        way.Error = completion.LastError;
        way.CompletedAt = now;
        return true;
    }
}
