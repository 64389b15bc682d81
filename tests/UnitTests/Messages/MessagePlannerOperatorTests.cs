using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;
using Notify.Grains.Messages;

namespace Notify.UnitTests.Messages;

/// <summary>An operator's retry and cancel, decided without a cluster: what each does to the record, and what each refuses.</summary>
public sealed class MessagePlannerOperatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = T0.AddHours(1);
    private static readonly OperatorRequest Ops = new("admin:ops", Note: "provider fixed");

    private static readonly DeliveryOptions Options = new()
    {
        MaxRetries = 2,
        RetryBaseDelay = TimeSpan.FromSeconds(30),
        RetryMaxDelay = TimeSpan.FromMinutes(10),
        AttemptLease = TimeSpan.FromMinutes(2),
    };

    private static MessageProgress Accepted(int delaySeconds = 0)
    {
        var progress = new MessageProgress();
        var message = new NotifyMessage
        {
            Channel = NotifyChannel.Email,
            Receivers = ["a@example.com", "b@example.com"],
            Title = "t",
            Body = "b",
            DelaySeconds = delaySeconds,
        };
        MessagePlanner.Accept(progress, "msg_1", message, requestId: null, Options, T0);
        MessagePlanner.Saved(progress);
        return progress;
    }

    /// <summary>Attempt 1 ran: each receiver sent (null) or failed as given; returns the progress after the outcome write.</summary>
    private static MessageProgress AfterFirstAttempt(params SendFailure?[] failures)
    {
        var progress = Accepted();
        foreach (var (receiver, failure) in progress.Record!.Receivers.Zip(failures))
        {
            receiver.Attempts++;
            if (failure is null)
            {
                receiver.Status = ReceiverStatus.Sent;
                receiver.CompletedAt = T0;
            }
            else
            {
                MessageOutcomes.ApplyFailure(receiver, failure, 1, Options.MaxRetries, T0);
            }
        }

        MessagePlanner.AttemptFinished(progress, 1, new AttemptResult(false, null), Options, T0, jitter: 0.5);
        MessagePlanner.Saved(progress);
        MessagePlanner.Completed(progress);
        return progress;
    }

    [Fact]
    public void Retry_FailedMessage_ReopensFailedReceiversAndJournalsTheNextAttemptInTheSameWrite()
    {
        var progress = AfterFirstAttempt(SendFailure.Permanent("550 no such user"), SendFailure.Permanent("550 no such user"));
        Assert.Equal(MessageStatus.Failed, progress.Record!.Status);

        var plan = MessagePlanner.Retry(progress, "msg_1", Ops, Options, Later);

        var record = progress.Record!;
        Assert.True(plan.Save);
        Assert.Equal(new WakeAt(Later, Durable: false), plan.Then);
        Assert.Equal(MessageStatus.Sending, record.Status);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(Later, record.AttemptStartedAt);
        Assert.Equal(2, progress.JournaledAttempt);
        Assert.Null(record.CompletedAt);
        Assert.All(record.Receivers, r => Assert.Equal((ReceiverStatus.Pending, OutcomeReason.None, (string?)null), (r.Status, r.Reason, r.Detail)));
        Assert.Equal(new OperatorAction(OperatorActionKind.Retry, "admin:ops", Later, null, "provider fixed", 2), Assert.Single(record.OperatorActions));
    }

    [Fact]
    public void Retry_PartiallySent_ReopensOnlyTheFailedReceiver()
    {
        var progress = AfterFirstAttempt(null, SendFailure.Permanent("550 no such user"));
        Assert.Equal(MessageStatus.PartiallySent, progress.Record!.Status);

        MessagePlanner.Retry(progress, "msg_1", Ops, Options, Later);

        Assert.Equal([ReceiverStatus.Sent, ReceiverStatus.Pending], progress.Record!.Receivers.Select(r => r.Status));
    }

    [Fact]
    public void Retry_OneReceiverByAddress_ReopensOnlyThatOne()
    {
        var progress = AfterFirstAttempt(SendFailure.Permanent("550"), SendFailure.Permanent("550"));

        MessagePlanner.Retry(progress, "msg_1", Ops with { Receiver = "b@example.com" }, Options, Later);

        Assert.Equal([ReceiverStatus.Failed, ReceiverStatus.Pending], progress.Record!.Receivers.Select(r => r.Status));
        Assert.Equal("b@example.com", progress.Record.OperatorActions[^1].Receiver);
    }

    [Theory]
    [InlineData("c@example.com", RequestErrorKind.NotFound, "receiver: message msg_1 has no receiver 'c@example.com'")]
    [InlineData("a@example.com", RequestErrorKind.Conflict, "receiver: 'a@example.com' is sent in message msg_1: only a failed receiver can be retried")]
    public void Retry_ReceiverNotFailed_RefusedNamingTheReceiver(string receiver, RequestErrorKind kind, string message)
    {
        var progress = AfterFirstAttempt(null, SendFailure.Permanent("550"));

        var refused = Assert.Throws<NotifyRequestException>(() => MessagePlanner.Retry(progress, "msg_1", Ops with { Receiver = receiver }, Options, Later));

        Assert.Equal(kind, refused.Kind);
        Assert.Equal(message, refused.Message);
        Assert.Empty(progress.Record!.OperatorActions);
    }

    [Fact]
    public void Retry_BodyDroppedByRetention_RefusedAsConflictAndLeavesTheRecordAsItWas()
    {
        var progress = AfterFirstAttempt(SendFailure.Permanent("550 no such user"), SendFailure.Permanent("550 no such user"));
        progress.Record!.BodyDroppedAt = T0.AddMinutes(30);

        var refused = Assert.Throws<NotifyRequestException>(() => MessagePlanner.Retry(progress, "msg_1", Ops, Options, Later));

        Assert.Equal(RequestErrorKind.Conflict, refused.Kind);
        Assert.StartsWith("body: message msg_1's body was dropped by retention (Notify:Retention:Bodies) at 2026-12-02 03:30:00Z", refused.Message);
        Assert.Equal((MessageStatus.Failed, 1), (progress.Record.Status, progress.Record.Attempts));
        Assert.Empty(progress.Record.OperatorActions);
    }

    [Fact]
    public void Retry_MediaWhoseFileWasDroppedAtTheEnd_RefusedAsConflict()
    {
        var progress = AfterFirstAttempt(SendFailure.Permanent("errcode 93000"), SendFailure.Permanent("errcode 93000"));
        progress.Record!.Message = progress.Record.Message with { Media = WeworkMedia.Create(WeworkMediaKind.File, "build.log", [1, 2, 3, 4, 5, 6]).WithoutContent() };

        var refused = Assert.Throws<NotifyRequestException>(() => MessagePlanner.Retry(progress, "msg_1", Ops, Options, Later));

        Assert.Equal(RequestErrorKind.Conflict, refused.Kind);
        Assert.Equal("media: message msg_1's file 'build.log' was dropped when the message became final: there is nothing to send again; submit it anew", refused.Message);
        Assert.Empty(progress.Record.OperatorActions);
    }

    [Fact]
    public void Retry_MessageNotFailed_RefusedAsConflict()
    {
        var progress = AfterFirstAttempt(null, null);

        var refused = Assert.Throws<NotifyRequestException>(() => MessagePlanner.Retry(progress, "msg_1", Ops, Options, Later));

        Assert.Equal(RequestErrorKind.Conflict, refused.Kind);
        Assert.Equal("status: message msg_1 is sent: only a failed or partially sent message can be retried", refused.Message);
    }

    [Fact]
    public void Retry_TransientFailureOnTheOperatorsAttempt_EndsFailedWithoutANewSchedule()
    {
        var progress = AfterFirstAttempt(SendFailure.Permanent("550"), SendFailure.Permanent("550"));
        progress.Record!.Attempts = Options.MaxRetries + 1;
        MessagePlanner.Retry(progress, "msg_1", Ops, Options, Later);
        var attempt = progress.Record.Attempts;
        foreach (var receiver in progress.Record.Receivers)
        {
            MessageOutcomes.ApplyFailure(receiver, SendFailure.Transient("451 try later"), attempt, Options.MaxRetries, Later);
        }

        var plan = MessagePlanner.AttemptFinished(progress, attempt, new AttemptResult(false, null), Options, Later, jitter: 0.5);

        Assert.Equal(MessageStatus.Failed, progress.Record.Status);
        Assert.IsType<CompleteMessage>(plan.Then);
        Assert.All(progress.Record.Receivers, r => Assert.Equal(OutcomeReason.RetriesExhausted, r.Reason));
    }

    [Fact]
    public void Cancel_DelayedMessage_EndsCancelledWithWhoAndWhenAndClearsItsReminder()
    {
        var progress = Accepted(delaySeconds: 3600);

        var plan = MessagePlanner.Cancel(progress, "msg_1", Ops, Later);

        var record = progress.Record!;
        Assert.Equal(new MessagePlan(true, new CompleteMessage(Announce: true, ClearReminders: true)), plan);
        Assert.Equal(MessageStatus.Cancelled, record.Status);
        Assert.Null(record.NextAttemptAt);
        Assert.Equal(Later, record.CompletedAt);
        Assert.All(record.Receivers, r =>
        {
            Assert.Equal((ReceiverStatus.Cancelled, OutcomeReason.Cancelled, Later), (r.Status, r.Reason, r.CompletedAt));
            Assert.Equal("cancelled by admin:ops at 2026-12-02 04:00:00Z: provider fixed", r.Detail);
        });
        Assert.False(record.PossibleDuplicate);
        Assert.Equal(new OperatorAction(OperatorActionKind.Cancel, "admin:ops", Later, null, "provider fixed", null), Assert.Single(record.OperatorActions));
    }

    [Fact]
    public void Cancel_Retrying_KeepsTheReceiversThatGotItAndCancelsTheRest()
    {
        var progress = AfterFirstAttempt(null, SendFailure.Transient("451 try later"));
        Assert.Equal(MessageStatus.Retrying, progress.Record!.Status);

        MessagePlanner.Cancel(progress, "msg_1", Ops, Later);

        Assert.Equal(MessageStatus.Cancelled, progress.Record.Status);
        Assert.Equal([ReceiverStatus.Sent, ReceiverStatus.Cancelled], progress.Record.Receivers.Select(r => r.Status));
    }

    [Fact]
    public void Cancel_AttemptJournaledHereAndNotRunYet_CancelledWithoutAPossibleDuplicate()
    {
        var progress = Accepted();
        Assert.Equal(1, progress.JournaledAttempt);

        MessagePlanner.Cancel(progress, "msg_1", Ops, Later);

        Assert.Null(progress.JournaledAttempt);
        Assert.Null(progress.Record!.AttemptStartedAt);
        Assert.False(progress.Record.PossibleDuplicate);
        // Woken for the journaled attempt afterwards, the message only completes: nothing is sent.
        Assert.IsType<CompleteMessage>(MessagePlanner.Wake(progress, Options, Later).Then);
    }

    [Fact]
    public void Cancel_AttemptInterruptedWithAnEarlierSilo_FlagsThatItMayHaveGoneOut()
    {
        var progress = Accepted();
        progress.JournaledAttempt = null;

        MessagePlanner.Cancel(progress, "msg_1", Ops, Later);

        Assert.True(progress.Record!.PossibleDuplicate);
        Assert.Equal(1, progress.Record.UnknownOutcomeAttempt);
        Assert.All(progress.Record.Receivers, r =>
        {
            Assert.Equal(1, r.UnknownOutcomeAttempt);
            Assert.EndsWith("attempt 1 was interrupted with its silo and may have delivered it", r.Detail);
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cancel_AlreadyFinal_RefusedSoOnlyOneFinalStateWins(bool cancelledBefore)
    {
        var progress = cancelledBefore ? Accepted(delaySeconds: 60) : AfterFirstAttempt(null, null);
        if (cancelledBefore)
        {
            MessagePlanner.Cancel(progress, "msg_1", Ops, T0);
        }

        var refused = Assert.Throws<NotifyRequestException>(() => MessagePlanner.Cancel(progress, "msg_1", Ops, Later));

        Assert.Equal(RequestErrorKind.Conflict, refused.Kind);
        var status = cancelledBefore ? "cancelled" : "sent";
        Assert.Equal($"status: message msg_1 is already {status}: only a pending, delayed or retrying message can be cancelled", refused.Message);
    }

    [Fact]
    public void Retry_Cancelled_Refused()
    {
        var progress = Accepted(delaySeconds: 60);
        MessagePlanner.Cancel(progress, "msg_1", Ops, T0);

        var refused = Assert.Throws<NotifyRequestException>(() => MessagePlanner.Retry(progress, "msg_1", Ops, Options, Later));

        Assert.Equal("status: message msg_1 is cancelled: only a failed or partially sent message can be retried", refused.Message);
    }

    [Theory]
    [InlineData("", "admin:ops", null, null, "id")]
    [InlineData("msg_1", " ", null, null, "operator")]
    [InlineData("msg_1", "admin:ops", "", null, "receiver")]
    [InlineData("msg_1", "admin:ops", "bob\r\n", null, "receiver")]
    [InlineData("msg_1", "admin:ops", null, "a\u0007", "note")]
    public void Validate_BadField_NamesIt(string id, string @operator, string? receiver, string? note, string field)
    {
        var errors = new OperatorRequest(@operator, receiver, note).Validate(id);

        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Fact]
    public void Validate_NoteTooLong_SaysTheLimit()
    {
        var errors = new OperatorRequest("admin:ops", Note: new string('x', OperatorRequest.MaxNoteLength + 1)).Validate("msg_1");

        Assert.Equal(new FieldError("note", "must be at most 512 characters (got 513)"), Assert.Single(errors));
    }
}
