using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Delivery;

/// <summary>The rules that turn per-receiver results into receiver and message statuses. Pure.</summary>
public static class MessageOutcomes
{
    /// <summary>
    /// Judges a failed receiver after attempt <paramref name="attempt"/>: permanent ⇒ Failed; transient ⇒ Retrying
    /// while retries remain (at most <paramref name="maxRetries"/> after the first attempt), else Failed. An unknown
    /// outcome marks the receiver a possible duplicate of that attempt, and is Retrying (reason unknown_outcome) when
    /// its channel retries unknown outcomes and Failed (unknown_outcome) when it does not.
    /// </summary>
    public static void ApplyFailure(ReceiverOutcome outcome, SendFailure failure, int attempt, int maxRetries, DateTimeOffset now)
    {
        if (failure.OutcomeUnknown)
        {
            outcome.UnknownOutcomeAttempt = attempt;
        }

        if (failure.Kind == FailureKind.Permanent)
        {
            var reason = failure.OutcomeUnknown ? OutcomeReason.UnknownOutcome : OutcomeReason.PermanentFailure;
            Finish(outcome, ReceiverStatus.Failed, reason, failure.Error, now);
        }
        else if (attempt <= maxRetries)
        {
            outcome.Status = ReceiverStatus.Retrying;
            outcome.Reason = failure.OutcomeUnknown ? OutcomeReason.UnknownOutcome : OutcomeReason.TransientFailure;
            outcome.Detail = failure.Error;
        }
        else
        {
            var tries = attempt == 1 ? "1 attempt" : $"{attempt} attempts";
            Finish(outcome, ReceiverStatus.Failed, OutcomeReason.RetriesExhausted, $"gave up after {tries}: {failure.Error}", now);
        }
    }

    /// <summary>
    /// The message's status from its receivers: Retrying while any receiver will be tried again; otherwise Sent when
    /// some got it and none failed, PartiallySent when some got it and some failed, Failed when none got it and some
    /// failed, Suppressed/Blocked when every receiver was removed before sending (Blocked only if all were blocked).
    /// </summary>
    public static MessageStatus Compute(IReadOnlyCollection<ReceiverOutcome> receivers)
    {
        if (receivers.Any(r => r.Status is ReceiverStatus.Pending))
        {
            return MessageStatus.Sending;
        }

        if (receivers.Any(r => r.Status is ReceiverStatus.Retrying))
        {
            return MessageStatus.Retrying;
        }

        var sent = receivers.Count(r => r.Status == ReceiverStatus.Sent);
        var failed = receivers.Count(r => r.Status == ReceiverStatus.Failed);
        return (sent, failed) switch
        {
            ( > 0, 0) => MessageStatus.Sent,
            ( > 0, > 0) => MessageStatus.PartiallySent,
            (0, > 0) => MessageStatus.Failed,
            _ when receivers.All(r => r.Status == ReceiverStatus.Blocked) => MessageStatus.Blocked,
            _ => MessageStatus.Suppressed,
        };
    }

    /// <summary>The error the record shows: the latest failure of a receiver that did not get the message.</summary>
    public static string? LastError(IEnumerable<ReceiverOutcome> receivers) =>
        receivers
            .Where(r => r.Status is ReceiverStatus.Failed or ReceiverStatus.Retrying)
            .Select(r => r.Detail)
            .LastOrDefault(d => d is not null);

    private static void Finish(ReceiverOutcome outcome, ReceiverStatus status, OutcomeReason reason, string detail, DateTimeOffset now)
    {
        outcome.Status = status;
        outcome.Reason = reason;
        outcome.Detail = detail;
        outcome.CompletedAt = now;
    }
}
