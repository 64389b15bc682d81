using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Messages;

namespace Notify.UnitTests.Messages;

/// <summary>Why-not says when a receiver may have got the message twice, and which attempt it concerns.</summary>
public sealed class ReceiverExplanationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);

    private static MessageRecord Record(ReceiverOutcome outcome) => new()
    {
        Id = "m1",
        Message = new NotifyMessage { Channel = NotifyChannel.Email, Receivers = [outcome.Receiver], Title = "t", Body = "b" },
        Receivers = [outcome],
        NextAttemptAt = T0.AddSeconds(30),
        Status = MessageStatus.Retrying,
    };

    public static TheoryData<ReceiverOutcome, string> Outcomes => new()
    {
        {
            new() { Receiver = "a@example.com", Status = ReceiverStatus.Sent, Attempts = 2, CompletedAt = T0, UnknownOutcomeAttempt = 1 },
            "delivered to a@example.com at 2026-11-23 03:00:00Z on attempt 2; possible duplicate: the outcome of attempt 1 is unknown, and the provider may have delivered it"
        },
        {
            new() { Receiver = "a@example.com", Status = ReceiverStatus.Sent, Attempts = 1, CompletedAt = T0 },
            "delivered to a@example.com at 2026-11-23 03:00:00Z on attempt 1"
        },
        {
            new() { Receiver = "a@example.com", Status = ReceiverStatus.Retrying, Reason = OutcomeReason.UnknownOutcome, Detail = "no reply", UnknownOutcomeAttempt = 1 },
            "sent, but the provider's answer never came (no reply); sending again at 2026-11-23 03:00:30Z; possible duplicate: the outcome of attempt 1 is unknown, and the provider may have delivered it"
        },
        {
            new() { Receiver = "a@example.com", Status = ReceiverStatus.Failed, Reason = OutcomeReason.UnknownOutcome, Detail = "no reply", UnknownOutcomeAttempt = 1 },
            "failed (outcome unknown, and this channel does not retry unknown outcomes): no reply; possible duplicate: the outcome of attempt 1 is unknown, and the provider may have delivered it"
        },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Explain_Outcome_SaysWhetherItMayBeADuplicate(ReceiverOutcome outcome, string expected) =>
        Assert.Equal(expected, ReceiverExplanation.Explain(Record(outcome), outcome));
}
