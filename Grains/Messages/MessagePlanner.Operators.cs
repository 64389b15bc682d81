using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Delivery;

namespace Notify.Grains.Messages;

/// <summary>
/// The operators' actions on one message, decided like every other step from the record, the request and the clock:
/// <list type="bullet">
/// <item>Retry: a Failed or PartiallySent message's failed receivers (or the one named) go back to Pending and a new
/// attempt is journaled in the same write, then runs in a turn of its own, as after acceptance. It is one more attempt
/// (the retry budget is spent), so a transient failure ends it Failed again rather than starting a new schedule.</item>
/// <item>Cancel: a message not yet final ends Cancelled at once, with its open receivers. The grain's turn is the
/// lock: an attempt in flight finishes before the cancel is planned, and a message it made final refuses the cancel,
/// so the two never both win. An attempt journaled by an earlier activation may have gone out: that is flagged.</item>
/// </list>
/// Each is appended to <see cref="MessageRecord.OperatorActions"/>. Refusals are <see cref="NotifyRequestException"/>s
/// naming the field.
/// </summary>
public static partial class MessagePlanner
{
    public static MessagePlan Retry(MessageProgress progress, string id, OperatorRequest request, DeliveryOptions options, DateTimeOffset now)
    {
        var record = Existing(progress, id);
        if (record.Status is not (MessageStatus.Failed or MessageStatus.PartiallySent))
        {
            throw NotifyRequestException.Conflict("status",
                $"message {id} is {record.Status.WireName()}: only a failed or partially sent message can be retried");
        }

        if (record.BodyDroppedAt is { } dropped)
        {
            throw NotifyRequestException.Conflict("body",
                $"message {id}'s body was dropped by retention (Notify:Retention:Bodies) at {dropped:u}: there is nothing to send again; submit it anew");
        }

        if (record.Message.Media is { } media && !media.HasContent())
        {
            throw NotifyRequestException.Conflict("media",
                $"message {id}'s file '{media.FileName}' was dropped when the message became final: there is nothing to send again; submit it anew");
        }

        var failed = record.Receivers.Where(r => r.Status == ReceiverStatus.Failed).ToList();
        if (request.Receiver is { } named)
        {
            var match = record.Receivers.FirstOrDefault(r => r.Receiver == named || r.Address == named)
                ?? throw NotifyRequestException.NotFound("receiver", $"message {id} has no receiver '{named}'");
            if (match.Status != ReceiverStatus.Failed)
            {
                throw NotifyRequestException.Conflict("receiver",
                    $"'{named}' is {match.Status.WireName()} in message {id}: only a failed receiver can be retried");
            }

            failed = [match];
        }

        foreach (var receiver in failed)
        {
            receiver.Status = ReceiverStatus.Pending;
            receiver.Reason = OutcomeReason.None;
            receiver.Detail = null;
            receiver.CompletedAt = null;
        }

        record.CompletedAt = null;
        progress.CompletionPending = false;
        Journal(progress, options, now);
        record.OperatorActions.Add(new OperatorAction(OperatorActionKind.Retry, request.Operator, now, request.Receiver, request.Note, record.Attempts));
        return new MessagePlan(Save: true, new WakeAt(now, Durable: false));
    }

    public static MessagePlan Cancel(MessageProgress progress, string id, OperatorRequest request, DateTimeOffset now)
    {
        var record = Existing(progress, id);
        if (record.Status.IsFinal())
        {
            throw NotifyRequestException.Conflict("status",
                $"message {id} is already {record.Status.WireName()}: only a pending, delayed or retrying message can be cancelled");
        }

        // Journaled by an earlier activation and never recorded: its silo stopped mid-send, so it may have gone out.
        var interrupted = record.AttemptStartedAt is not null && progress.JournaledAttempt != record.Attempts;
        var detail = $"cancelled by {request.Operator} at {now:u}" + (string.IsNullOrEmpty(request.Note) ? "" : $": {request.Note}")
            + (interrupted ? $"; attempt {record.Attempts} was interrupted with its silo and may have delivered it" : "");
        foreach (var receiver in record.Receivers.Where(r => !r.Status.IsFinal()))
        {
            if (interrupted)
            {
                receiver.UnknownOutcomeAttempt = record.Attempts;
            }

            receiver.Status = ReceiverStatus.Cancelled;
            receiver.Reason = OutcomeReason.Cancelled;
            receiver.Detail = detail;
            receiver.CompletedAt = now;
        }

        if (interrupted)
        {
            record.PossibleDuplicate = true;
            record.UnknownOutcomeAttempt = record.Attempts;
        }

        record.AttemptStartedAt = null;
        progress.JournaledAttempt = null;
        record.Status = MessageStatus.Cancelled;
        record.OperatorActions.Add(new OperatorAction(OperatorActionKind.Cancel, request.Operator, now, null, request.Note, null));
        return Finish(progress, now);
    }

    private static MessageRecord Existing(MessageProgress progress, string id) =>
        progress.Record ?? throw NotifyRequestException.NotFound("id", $"no message has id '{id}'");
}
