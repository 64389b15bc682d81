using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;
using Notify.Grains.Messages;

namespace Notify.UnitTests.Messages;

/// <summary>Every step of a message's life, decided without a cluster: the planner's table.</summary>
public sealed class MessagePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    private static readonly DeliveryOptions Options = new()
    {
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromSeconds(30),
        RetryMaxDelay = TimeSpan.FromMinutes(10),
        AttemptLease = TimeSpan.FromMinutes(2),
    };

    private static NotifyMessage Email(int delaySeconds = 0) => new()
    {
        Channel = NotifyChannel.Email,
        Receivers = ["a@example.com", "b@example.com"],
        Title = "t",
        Body = "b",
        DelaySeconds = delaySeconds,
    };

    private static MessageProgress Accepted(int delaySeconds = 0)
    {
        var progress = new MessageProgress();
        MessagePlanner.Accept(progress, "msg_1", Email(delaySeconds), requestId: null, Options, T0);
        MessagePlanner.Saved(progress);
        return progress;
    }

    /// <summary>Sets each receiver's outcome as the pipeline (send, then the retry rules) would after attempt <paramref name="attempt"/>.</summary>
    private static void Outcomes(MessageProgress progress, int attempt, DateTimeOffset now, params SendFailure?[] failures)
    {
        foreach (var (receiver, failure) in progress.Record!.Receivers.Zip(failures))
        {
            receiver.Attempts++;
            if (failure is null)
            {
                receiver.Status = ReceiverStatus.Sent;
                receiver.CompletedAt = now;
            }
            else
            {
                MessageOutcomes.ApplyFailure(receiver, failure, attempt, Options.MaxRetries, now);
            }
        }
    }

    [Fact]
    public void Accept_NoDelay_JournalsAttemptOneInTheAcceptWriteAndRunsItInATurnOfItsOwn()
    {
        var progress = new MessageProgress();

        var plan = MessagePlanner.Accept(progress, "msg_1", Email(), "req-1", Options, T0);

        var record = progress.Record!;
        Assert.Equal(new MessagePlan(Save: true, new WakeAt(T0, Durable: false)), plan);
        Assert.Equal((MessageStatus.Sending, 1, 0, T0), (record.Status, record.Attempts, record.RetryCount, record.AttemptStartedAt));
        Assert.Equal(T0 + Options.AttemptLease, record.NextAttemptAt);
        Assert.Equal("req-1", record.RequestId);
        Assert.Equal(["a@example.com", "b@example.com"], record.Receivers.Select(r => r.Receiver));
        Assert.All(record.Receivers, r => Assert.Equal(ReceiverStatus.Pending, r.Status));
        Assert.Equal(1, progress.JournaledAttempt);
    }

    [Fact]
    public void Accept_Delayed_IsPendingWithADurableWakeAtItsDueTime()
    {
        var progress = new MessageProgress();

        var plan = MessagePlanner.Accept(progress, "msg_1", Email(delaySeconds: 90), null, Options, T0);

        Assert.Equal(new MessagePlan(Save: true, new WakeAt(T0.AddSeconds(90), Durable: true)), plan);
        Assert.Equal((MessageStatus.Pending, 0, (DateTimeOffset?)null), (progress.Record!.Status, progress.Record.Attempts, progress.Record.AttemptStartedAt));
        Assert.Null(progress.JournaledAttempt);
    }

    [Fact]
    public void Wake_AttemptJournaledHere_SendsItWithoutAnotherWrite()
    {
        var progress = Accepted();

        Assert.Equal(new MessagePlan(Save: false, new SendAttempt(1)), MessagePlanner.Wake(progress, Options, T0));
    }

    [Fact]
    public void Wake_DelayNotDue_WaitsOnATimerOnly()
    {
        var progress = Accepted(delaySeconds: 90);

        Assert.Equal(new MessagePlan(Save: false, new WakeAt(T0.AddSeconds(90), Durable: false)), MessagePlanner.Wake(progress, Options, T0.AddSeconds(10)));
    }

    [Fact]
    public void Wake_DelayDue_JournalsBeforeSending()
    {
        var progress = Accepted(delaySeconds: 90);
        var due = T0.AddSeconds(90);

        var plan = MessagePlanner.Wake(progress, Options, due);

        Assert.Equal(new MessagePlan(Save: true, new SendAttempt(1)), plan);
        Assert.Equal((MessageStatus.Sending, 1, due), (progress.Record!.Status, progress.Record.Attempts, progress.Record.AttemptStartedAt));
    }

    [Fact]
    public void Wake_AttemptJournaledByAnEarlierActivation_IsAnUnknownOutcome_RetriedAndFlaggedInOneWrite()
    {
        var progress = Accepted();
        var reactivated = new MessageProgress { Record = progress.Record };
        var later = T0.AddMinutes(3);

        var plan = MessagePlanner.Wake(reactivated, Options, later);

        var record = reactivated.Record!;
        Assert.Equal(new MessagePlan(Save: true, new SendAttempt(2)), plan);
        Assert.True(record.PossibleDuplicate);
        Assert.Equal((MessageStatus.Sending, 2, 1, later), (record.Status, record.Attempts, record.RetryCount, record.AttemptStartedAt));
        Assert.All(record.Receivers, r => Assert.Equal(ReceiverStatus.Retrying, r.Status));
        Assert.Contains("outcome of attempt 1 unknown", record.LastError);
    }

    [Fact]
    public void Wake_UnknownOutcomeOfTheLastAllowedAttempt_EndsFailedFlagged()
    {
        var progress = Accepted();
        progress.Record!.Attempts = Options.MaxRetries + 1;
        var reactivated = new MessageProgress { Record = progress.Record };

        var plan = MessagePlanner.Wake(reactivated, Options, T0.AddMinutes(3));

        Assert.Equal(new MessagePlan(Save: true, new CompleteMessage(Announce: true, ClearReminders: true)), plan);
        Assert.Equal(MessageStatus.Failed, reactivated.Record!.Status);
        Assert.True(reactivated.Record.PossibleDuplicate);
        Assert.All(reactivated.Record.Receivers, r => Assert.Equal(OutcomeReason.RetriesExhausted, r.Reason));
        Assert.True(reactivated.CompletionPending);
    }

    [Fact]
    public void AttemptFinished_AllSent_IsFinalAndAnnounced_WithNoReminderToClear()
    {
        var progress = Accepted();
        var now = T0.AddMilliseconds(40);
        Outcomes(progress, 1, now, null, null);

        var plan = MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, now, jitter: 0.5);

        var record = progress.Record!;
        Assert.Equal(new MessagePlan(Save: true, new CompleteMessage(Announce: true, ClearReminders: false)), plan);
        Assert.Equal((MessageStatus.Sent, (DateTimeOffset?)null, (DateTimeOffset?)null, now), (record.Status, record.AttemptStartedAt, record.NextAttemptAt, record.CompletedAt));
        Assert.Null(progress.JournaledAttempt);
    }

    [Theory]
    [InlineData(0.0, 15)]
    [InlineData(1.0, 30)]
    public void AttemptFinished_TransientFailure_RetriesAfterTheJitteredBackoffWithAReminder(double jitter, int seconds)
    {
        var progress = Accepted();
        var now = T0.AddSeconds(1);
        Outcomes(progress, 1, now, null, SendFailure.Transient("SMTP 451: try later"));

        var plan = MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, now, jitter);

        Assert.Equal(new MessagePlan(Save: true, new WakeAt(now.AddSeconds(seconds), Durable: true)), plan);
        Assert.Equal(MessageStatus.Retrying, progress.Record!.Status);
        Assert.Equal("SMTP 451: try later", progress.Record.LastError);
        Assert.Equal(now.AddSeconds(seconds), progress.Record.NextAttemptAt);
    }

    [Fact]
    public void AttemptFinished_ProviderAskedForLonger_WaitsItsRetryAfter()
    {
        var progress = Accepted();
        Outcomes(progress, 1, T0, SendFailure.Transient("429", TimeSpan.FromMinutes(2)), null);

        var plan = MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, TimeSpan.FromMinutes(2)), Options, T0, jitter: 1);

        Assert.Equal(new WakeAt(T0.AddMinutes(2), Durable: true), plan.Then);
    }

    [Fact]
    public void AttemptFinished_QueueWaitExceeded_IsRetriedLikeAnyTransientFailure()
    {
        var progress = Accepted();
        var waited = SendFailure.Transient("waited more than 00:02:00 in the Email queue (provider rate limit)");
        Outcomes(progress, 1, T0, waited, waited);

        var plan = MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, T0, jitter: 1);

        Assert.IsType<WakeAt>(plan.Then);
        Assert.Equal(MessageStatus.Retrying, progress.Record!.Status);
    }

    [Fact]
    public void AttemptFinished_RetriedMessageNowSent_ClearsItsReminder()
    {
        var progress = Accepted();
        Outcomes(progress, 1, T0, SendFailure.Transient("busy"), SendFailure.Transient("busy"));
        var retryAt = ((WakeAt)MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, T0, 1).Then).At;
        MessagePlanner.Saved(progress);
        Assert.Equal(new MessagePlan(Save: true, new SendAttempt(2)), MessagePlanner.Wake(progress, Options, retryAt));
        Outcomes(progress, 2, retryAt, null, null);

        var plan = MessagePlanner.AttemptFinished(progress, 2, new AttemptResult(false, null), Options, retryAt, 1);

        Assert.Equal(new CompleteMessage(Announce: true, ClearReminders: true), plan.Then);
        Assert.Equal((MessageStatus.Sent, 2, 1), (progress.Record!.Status, progress.Record.Attempts, progress.Record.RetryCount));
    }

    [Fact]
    public void AttemptFinished_NoAnswerFromTheChannel_IsRetriedAndFlagged()
    {
        var progress = Accepted();
        var unknown = SendFailure.Unknown("delivery outcome unknown: TimeoutException");
        Outcomes(progress, 1, T0, unknown, unknown);

        MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(OutcomeUnknown: true, null), Options, T0, 1);

        Assert.True(progress.Record!.PossibleDuplicate);
        Assert.Equal(1, progress.Record.UnknownOutcomeAttempt);
        Assert.Equal(MessageStatus.Retrying, progress.Record.Status);
    }

    public static TheoryData<ReceiverStatus[], MessageStatus> FinalStatuses => new()
    {
        { [ReceiverStatus.Sent, ReceiverStatus.Sent], MessageStatus.Sent },
        { [ReceiverStatus.Sent, ReceiverStatus.Failed], MessageStatus.PartiallySent },
        { [ReceiverStatus.Failed, ReceiverStatus.Failed], MessageStatus.Failed },
        { [ReceiverStatus.Sent, ReceiverStatus.Suppressed], MessageStatus.Sent },
        { [ReceiverStatus.Blocked, ReceiverStatus.Blocked], MessageStatus.Blocked },
        { [ReceiverStatus.Blocked, ReceiverStatus.Suppressed], MessageStatus.Suppressed },
    };

    [Theory]
    [MemberData(nameof(FinalStatuses))]
    public void AttemptFinished_ReceiversFinal_GiveTheMessageStatus(ReceiverStatus[] receivers, MessageStatus expected)
    {
        var progress = Accepted();
        foreach (var (outcome, status) in progress.Record!.Receivers.Zip(receivers))
        {
            outcome.Status = status;
        }

        var plan = MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, T0, 1);

        Assert.Equal(expected, progress.Record.Status);
        Assert.IsType<CompleteMessage>(plan.Then);
    }

    [Fact]
    public void SaveFailed_ThenWake_WritesAgainBeforeAnythingElse()
    {
        var progress = Accepted();
        Outcomes(progress, 1, T0, null, null);
        MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, T0, 1);

        var failed = MessagePlanner.SaveFailed(progress, T0);
        var retried = MessagePlanner.Wake(progress, Options, T0 + MessagePlanner.SaveRetryDelay);

        Assert.Equal(new MessagePlan(Save: false, new WakeAt(T0 + MessagePlanner.SaveRetryDelay, Durable: false)), failed);
        Assert.Equal(new MessagePlan(Save: true, new CompleteMessage(Announce: true, ClearReminders: false)), retried);
    }

    [Fact]
    public void SaveFailed_OnARetrySchedule_RegistersTheReminderWithTheRewrite()
    {
        var progress = Accepted();
        Outcomes(progress, 1, T0, SendFailure.Transient("busy"), null);
        var retryAt = ((WakeAt)MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, T0, 1).Then).At;
        MessagePlanner.SaveFailed(progress, T0);

        Assert.Equal(new MessagePlan(Save: true, new WakeAt(retryAt, Durable: true)), MessagePlanner.Wake(progress, Options, T0.AddSeconds(5)));
    }

    [Fact]
    public void SaveFailed_BeforeTheJournal_SendsNothingUntilItIsWritten()
    {
        var progress = new MessageProgress();
        MessagePlanner.Accept(progress, "msg_1", Email(delaySeconds: 1), null, Options, T0);
        MessagePlanner.Saved(progress);
        Assert.Equal(new MessagePlan(Save: true, new SendAttempt(1)), MessagePlanner.Wake(progress, Options, T0.AddSeconds(1)));
        MessagePlanner.SaveFailed(progress, T0.AddSeconds(1));

        // The journal is in memory only: the next wake writes it first, then sends the attempt it journaled.
        Assert.Equal(new MessagePlan(Save: true, new SendAttempt(1)), MessagePlanner.Wake(progress, Options, T0.AddSeconds(6)));
    }

    [Fact]
    public void Wake_FinalRecord_CompletesWithoutAnnouncingAgain()
    {
        var progress = Accepted();
        Outcomes(progress, 1, T0, null, null);
        MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, T0, 1);
        MessagePlanner.Saved(progress);
        MessagePlanner.Completed(progress);

        Assert.Equal(new MessagePlan(Save: false, new CompleteMessage(Announce: false, ClearReminders: false)), MessagePlanner.Wake(progress, Options, T0.AddMinutes(1)));
    }

    [Fact]
    public void Wake_NoRecord_ForgetsTheMessage() =>
        Assert.Equal(new MessagePlan(Save: false, new ForgetMessage()), MessagePlanner.Wake(new MessageProgress(), Options, T0));
}
