using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Messages;

/// <summary>One sentence per receiver outcome: the answer to "why didn't X get it" (and "why did X get it twice").</summary>
public static class ReceiverExplanation
{
    public static string Explain(MessageRecord record, ReceiverOutcome outcome) => Outcome(record, outcome) + PossibleDuplicate(outcome);

    private static string Outcome(MessageRecord record, ReceiverOutcome outcome)
    {
        var address = outcome.Address is { } a && a != outcome.Receiver ? $" ({a})" : "";
        return outcome.Status switch
        {
            ReceiverStatus.Sent => $"delivered to {outcome.Receiver}{address} at {outcome.CompletedAt:u} on attempt {outcome.Attempts}",
            ReceiverStatus.Blocked => $"blocked: {outcome.Detail}",
            ReceiverStatus.Suppressed when outcome.Reason == OutcomeReason.FoldedIntoDigest => $"held by the attention budget: {outcome.Detail}",
            ReceiverStatus.Suppressed => $"suppressed by the frequency limit: {outcome.Detail}",
            ReceiverStatus.Failed => $"failed ({Describe(outcome.Reason)}): {outcome.Detail}",
            ReceiverStatus.Cancelled => $"not sent: {outcome.Detail}",
            ReceiverStatus.Retrying when outcome.Reason == OutcomeReason.UnknownOutcome =>
                $"sent, but the provider's answer never came ({outcome.Detail}); sending again at {record.NextAttemptAt:u}",
            ReceiverStatus.Retrying => $"not delivered yet: the last attempt failed ({outcome.Detail}); next attempt at {record.NextAttemptAt:u}",
            _ when record.NextAttemptAt is { } next && record.Status == MessageStatus.Pending => $"not sent yet: delayed until {next:u}",
            _ => "being sent now",
        };
    }

    private static string PossibleDuplicate(ReceiverOutcome outcome) => outcome.UnknownOutcomeAttempt is { } attempt
        ? $"; possible duplicate: the outcome of attempt {attempt} is unknown, and the provider may have delivered it"
        : "";

    private static string Describe(OutcomeReason reason) => reason switch
    {
        OutcomeReason.UnresolvableReceiver => "unresolvable receiver",
        OutcomeReason.PermanentFailure => "the provider refused it",
        OutcomeReason.RetriesExhausted => "retries exhausted",
        OutcomeReason.UnknownOutcome => "outcome unknown, and this channel does not retry unknown outcomes",
        _ => reason.WireName(),
    };
}
