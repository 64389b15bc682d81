using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Delivery;

/// <summary>One attempt of one message as it goes through the delivery stages.</summary>
public sealed class DeliveryContext(MessageRecord record, int attempt, DateTimeOffset now)
{
    public MessageRecord Record { get; } = record;

    public int Attempt { get; } = attempt;

    public DateTimeOffset Now { get; } = now;

    public NotifyMessage Message => Record.Message;

    public string MessageId => Record.Id;

    /// <summary>Users removed from the robot's @-mentions because they are blacklisted.</summary>
    public IReadOnlySet<string> BlockedMentions { get; set; } = new HashSet<string>();
}

/// <summary>A receiver still in play during an attempt, and what the stages learned about it.</summary>
public sealed class PendingReceiver(ReceiverOutcome outcome)
{
    public ReceiverOutcome Outcome { get; } = outcome;

    /// <summary>The directory username, when the receiver was resolved through the contact directory.</summary>
    public string? Username { get; set; }

    /// <summary>The channel address it resolved to (kept on the record).</summary>
    public string Address
    {
        get => Outcome.Address ?? "";
        set => Outcome.Address = value;
    }

    /// <summary>Set by the send stage when the channel reported a failure for this receiver.</summary>
    public SendFailure? Failure { get; set; }

    /// <summary>Removes the receiver from the attempt with a final status and a reason (a stop is a value, not an error).</summary>
    public void Stop(ReceiverStatus status, OutcomeReason reason, string detail, DateTimeOffset now, string? suppressedBy = null)
    {
        Outcome.Status = status;
        Outcome.Reason = reason;
        Outcome.Detail = detail;
        Outcome.SuppressedBy = suppressedBy;
        Outcome.CompletedAt = now;
    }
}

/// <summary>
/// A step of the delivery pipeline (Alertmanager's Stage): takes the receivers still in play and returns those that
/// go on; the ones it removes carry their final status and reason.
/// </summary>
public interface IDeliveryStage
{
    ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken);
}
