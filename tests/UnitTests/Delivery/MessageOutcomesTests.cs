using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;

namespace Notify.UnitTests.Delivery;

public sealed class MessageOutcomesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);

    private static ReceiverOutcome Outcome(ReceiverStatus status = ReceiverStatus.Pending) => new() { Receiver = "a@example.com", Status = status };

    [Fact]
    public void ApplyFailure_Permanent_FailsAtOnce()
    {
        var outcome = Outcome();
        MessageOutcomes.ApplyFailure(outcome, SendFailure.Permanent("550 no such user"), attempt: 1, maxRetries: 3, Now);
        Assert.Equal((ReceiverStatus.Failed, OutcomeReason.PermanentFailure, "550 no such user"), (outcome.Status, outcome.Reason, outcome.Detail));
        Assert.Equal(Now, outcome.CompletedAt);
    }

    [Theory]
    [InlineData(1, 3, ReceiverStatus.Retrying)]
    [InlineData(3, 3, ReceiverStatus.Retrying)]
    [InlineData(4, 3, ReceiverStatus.Failed)]
    [InlineData(1, 0, ReceiverStatus.Failed)]
    public void ApplyFailure_Transient_RetriesWhileBudgetLasts(int attempt, int maxRetries, ReceiverStatus expected)
    {
        var outcome = Outcome();
        MessageOutcomes.ApplyFailure(outcome, SendFailure.Transient("421 try later"), attempt, maxRetries, Now);
        Assert.Equal(expected, outcome.Status);
        if (expected == ReceiverStatus.Failed)
        {
            Assert.Equal(OutcomeReason.RetriesExhausted, outcome.Reason);
            Assert.Contains("421 try later", outcome.Detail);
        }
    }

    public static TheoryData<SendFailure, int, ReceiverStatus, OutcomeReason, int?> Failures => new()
    {
        { SendFailure.Permanent("550 no such user"), 1, ReceiverStatus.Failed, OutcomeReason.PermanentFailure, null },
        { SendFailure.Transient("421 try later"), 1, ReceiverStatus.Retrying, OutcomeReason.TransientFailure, null },
        { SendFailure.Unknown("sent, no answer"), 2, ReceiverStatus.Retrying, OutcomeReason.UnknownOutcome, 2 },
        { SendFailure.Unknown("sent, no answer"), 4, ReceiverStatus.Failed, OutcomeReason.RetriesExhausted, 4 },
        { SendFailure.Unknown("sent, no answer") with { Kind = FailureKind.Permanent }, 1, ReceiverStatus.Failed, OutcomeReason.UnknownOutcome, 1 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ApplyFailure_Failure_GivesStatusReasonAndPossibleDuplicate(
        SendFailure failure, int attempt, ReceiverStatus status, OutcomeReason reason, int? unknownOutcomeAttempt)
    {
        var outcome = Outcome();
        MessageOutcomes.ApplyFailure(outcome, failure, attempt, maxRetries: 3, Now);
        Assert.Equal((status, reason, unknownOutcomeAttempt, unknownOutcomeAttempt is not null), (outcome.Status, outcome.Reason, outcome.UnknownOutcomeAttempt, outcome.PossibleDuplicate));
    }

    [Fact]
    public void ApplyFailure_CleanFailureAfterAnUnknownOne_KeepsThePossibleDuplicate()
    {
        var outcome = Outcome();
        MessageOutcomes.ApplyFailure(outcome, SendFailure.Unknown("sent, no answer"), attempt: 1, maxRetries: 3, Now);
        MessageOutcomes.ApplyFailure(outcome, SendFailure.Permanent("550 no such user"), attempt: 2, maxRetries: 3, Now);
        Assert.Equal((ReceiverStatus.Failed, 1), (outcome.Status, outcome.UnknownOutcomeAttempt));
    }

    public static TheoryData<ReceiverStatus[], MessageStatus> Statuses => new()
    {
        { [ReceiverStatus.Sent, ReceiverStatus.Sent], MessageStatus.Sent },
        { [ReceiverStatus.Sent, ReceiverStatus.Blocked, ReceiverStatus.Suppressed], MessageStatus.Sent },
        { [ReceiverStatus.Sent, ReceiverStatus.Failed], MessageStatus.PartiallySent },
        { [ReceiverStatus.Failed, ReceiverStatus.Blocked], MessageStatus.Failed },
        { [ReceiverStatus.Sent, ReceiverStatus.Retrying], MessageStatus.Retrying },
        { [ReceiverStatus.Suppressed, ReceiverStatus.Blocked], MessageStatus.Suppressed },
        { [ReceiverStatus.Suppressed], MessageStatus.Suppressed },
        { [ReceiverStatus.Blocked, ReceiverStatus.Blocked], MessageStatus.Blocked },
        { [ReceiverStatus.Pending, ReceiverStatus.Sent], MessageStatus.Sending },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Compute_ReceiverStatuses_GiveMessageStatus(ReceiverStatus[] receivers, MessageStatus expected) =>
        Assert.Equal(expected, MessageOutcomes.Compute(receivers.Select(Outcome).ToList()));

    [Fact]
    public void LastError_IsTheLatestFailureOfAReceiverThatDidNotGetIt()
    {
        var receivers = new[]
        {
            new ReceiverOutcome { Receiver = "a", Status = ReceiverStatus.Failed, Detail = "first" },
            new ReceiverOutcome { Receiver = "b", Status = ReceiverStatus.Sent, Detail = "delivered" },
            new ReceiverOutcome { Receiver = "c", Status = ReceiverStatus.Retrying, Detail = "second" },
        };
        Assert.Equal("second", MessageOutcomes.LastError(receivers));
    }
}
