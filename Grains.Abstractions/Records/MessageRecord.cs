using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Records;

/// <summary>
/// The send record of one accepted message (BK-CI's T_NOTIFY_* row, per receiver): the durable state of
/// <c>MessageGrain</c> and the shape the record queries return.
/// </summary>
[GenerateSerializer, Alias("notify.MessageRecord")]
public sealed class MessageRecord
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required NotifyMessage Message { get; set; }

    [Id(2)] public MessageStatus Status { get; set; }

    [Id(3)] public List<ReceiverOutcome> Receivers { get; set; } = [];

    /// <summary>MD5 (hex) of the normalized title and body: the frequency-limit key.</summary>
    [Id(4)] public string ContentMd5 { get; set; } = "";

    /// <summary>Delivery attempts started so far.</summary>
    [Id(5)] public int Attempts { get; set; }

    /// <summary>Attempts after the first (BK-CI's RETRY_COUNT).</summary>
    [Id(6)] public int RetryCount { get; set; }

    [Id(7)] public string? LastError { get; set; }

    [Id(8)] public DateTimeOffset CreatedAt { get; set; }

    [Id(9)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the next attempt is due (delay or retry backoff); null once final.</summary>
    [Id(10)] public DateTimeOffset? NextAttemptAt { get; set; }

    [Id(11)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// An attempt's outcome was unknown (the provider's answer was lost, or the silo stopped mid-send): a receiver may
    /// have got it twice. <see cref="UnknownOutcomeAttempt"/> says which attempt; each receiver says whether it was in it.
    /// </summary>
    [Id(12)] public bool PossibleDuplicate { get; set; }

    /// <summary>Caller's idempotency key, when one was given.</summary>
    [Id(13)] public string? RequestId { get; set; }

    /// <summary>Journal: set before an attempt is handed to the channel, cleared when its outcome is recorded.</summary>
    [Id(14)] public DateTimeOffset? AttemptStartedAt { get; set; }

    /// <summary>The latest attempt whose outcome was unknown, when one was.</summary>
    [Id(15)] public int? UnknownOutcomeAttempt { get; set; }

    /// <summary>What operators did to this message (retries, a cancel), oldest first: who, when, what.</summary>
    [Id(16)] public List<OperatorAction> OperatorActions { get; set; } = [];

    /// <summary>When retention dropped the body (<c>Notify:Retention:Bodies</c>); the record's outcome stays readable.</summary>
    [Id(20)] public DateTimeOffset? BodyDroppedAt { get; set; }

    public NotifyChannel Channel => Message.Channel;
}

/// <summary>What happened to one receiver of a message.</summary>
[GenerateSerializer, Alias("notify.ReceiverOutcome")]
public sealed class ReceiverOutcome
{
    /// <summary>The receiver as the caller wrote it (address or username).</summary>
    [Id(0)] public required string Receiver { get; init; }

    [Id(1)] public RecipientKind Kind { get; init; }

    [Id(2)] public ReceiverStatus Status { get; set; }

    [Id(3)] public OutcomeReason Reason { get; set; }

    /// <summary>The channel address it resolved to (same as <see cref="Receiver"/> when given as an address).</summary>
    [Id(4)] public string? Address { get; set; }

    /// <summary>A sentence for people: the provider's error, who suppressed it, which list blocked it.</summary>
    [Id(5)] public string? Detail { get; set; }

    /// <summary>
    /// For <see cref="OutcomeReason.FrequencyLimited"/>: the earlier message that got the same content through; for
    /// <see cref="OutcomeReason.FoldedIntoDigest"/>: the digest message that carries it.
    /// </summary>
    [Id(6)] public string? SuppressedBy { get; set; }

    [Id(7)] public int Attempts { get; set; }

    [Id(8)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The provider's id for the delivery (SMTP queue id, WeCom msgid) when it gave one.</summary>
    [Id(9)] public string? ProviderMessageId { get; set; }

    /// <summary>The latest attempt whose outcome for this receiver was unknown: the provider may have delivered it then.</summary>
    [Id(10)] public int? UnknownOutcomeAttempt { get; set; }

    /// <summary>This receiver may have got the message more than once (an attempt's outcome was unknown and it was retried).</summary>
    public bool PossibleDuplicate => UnknownOutcomeAttempt is not null;
}
