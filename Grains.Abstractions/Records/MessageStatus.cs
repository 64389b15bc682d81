namespace Notify.Grains.Abstractions.Records;

/// <summary>
/// Life of one accepted message: <c>Pending → Sending → Sent | PartiallySent | Retrying → Sending … | Failed</c>,
/// or <c>Suppressed</c>/<c>Blocked</c> when every receiver was removed before sending; <c>Cancelled</c> when an
/// operator cancelled it before it was final. An operator retry takes a Failed or PartiallySent message back to Sending.
/// </summary>
[GenerateSerializer, Alias("notify.MessageStatus")]
public enum MessageStatus
{
    Pending = 0,
    Sending = 1,
    Sent = 2,
    PartiallySent = 3,
    Retrying = 4,
    Failed = 5,
    Suppressed = 6,
    Blocked = 7,
    /// <summary>An operator cancelled it while it was pending, delayed or waiting for a retry (final).</summary>
    Cancelled = 8,
}

/// <summary>Outcome of one receiver of a message.</summary>
[GenerateSerializer, Alias("notify.ReceiverStatus")]
public enum ReceiverStatus
{
    Pending = 0,
    Sent = 1,
    Retrying = 2,
    Failed = 3,
    Suppressed = 4,
    Blocked = 5,
    /// <summary>Its message was cancelled by an operator before this receiver had a final outcome.</summary>
    Cancelled = 6,
}

/// <summary>Why a receiver ended where it did; also the reason label of the metrics.</summary>
[GenerateSerializer, Alias("notify.OutcomeReason")]
public enum OutcomeReason
{
    None = 0,
    /// <summary>The user (or one of their addresses) is on the blacklist.</summary>
    Blacklisted = 1,
    /// <summary>The same content reached this receiver on this channel within the frequency limit.</summary>
    FrequencyLimited = 2,
    /// <summary>A username with no address for this channel in the contact directory.</summary>
    UnresolvableReceiver = 3,
    /// <summary>The provider refused for good (SMTP 5xx, HTTP 4xx other than 408/429, provider error code).</summary>
    PermanentFailure = 4,
    /// <summary>Transient failures until the retry budget ran out.</summary>
    RetriesExhausted = 5,
    /// <summary>A transient failure; another attempt is scheduled.</summary>
    TransientFailure = 6,
    /// <summary>
    /// The provider had the message and its answer never came: retried and flagged as a possible duplicate, or, on a
    /// channel with <c>RetryUnknownOutcome</c> off, Failed (it may have been delivered once).
    /// </summary>
    UnknownOutcome = 7,
    /// <summary>An operator cancelled the message before this receiver had a final outcome.</summary>
    Cancelled = 8,
    /// <summary>The receiver had their attention budget of alert notices: this one goes out in a digest message instead.</summary>
    FoldedIntoDigest = 9,
}

/// <summary>Where a receiver was listed.</summary>
[GenerateSerializer, Alias("notify.RecipientKind")]
public enum RecipientKind
{
    To = 0,
    Cc = 1,
    Bcc = 2,
}

public static class StatusNames
{
    public static bool IsFinal(this MessageStatus status) =>
        status is MessageStatus.Sent or MessageStatus.PartiallySent or MessageStatus.Failed or MessageStatus.Suppressed or MessageStatus.Blocked
            or MessageStatus.Cancelled;

    public static bool IsFinal(this ReceiverStatus status) =>
        status is ReceiverStatus.Sent or ReceiverStatus.Failed or ReceiverStatus.Suppressed or ReceiverStatus.Blocked or ReceiverStatus.Cancelled;

    /// <summary>snake_case wire name (<c>partially_sent</c>), as REST and the records' messages write it.</summary>
    public static string WireName(this MessageStatus status) => SnakeCase(status.ToString());

    /// <summary>snake_case wire name of a receiver's status.</summary>
    public static string WireName(this ReceiverStatus status) => SnakeCase(status.ToString());

    /// <summary>snake_case wire name, also the metric label (<c>frequency_limited</c>, <c>unresolvable_receiver</c>…).</summary>
    public static string WireName(this OutcomeReason reason) => reason switch
    {
        OutcomeReason.None => "none",
        OutcomeReason.Blacklisted => "blacklisted",
        OutcomeReason.FrequencyLimited => "frequency_limited",
        OutcomeReason.UnresolvableReceiver => "unresolvable_receiver",
        OutcomeReason.PermanentFailure => "permanent_failure",
        OutcomeReason.RetriesExhausted => "retries_exhausted",
        OutcomeReason.TransientFailure => "transient_failure",
        OutcomeReason.UnknownOutcome => "unknown_outcome",
        OutcomeReason.Cancelled => "cancelled",
        OutcomeReason.FoldedIntoDigest => "folded_into_digest",
        _ => reason.ToString().ToLowerInvariant(),
    };

    public static bool TryParseMessageStatus(string? value, out MessageStatus status) =>
        Enum.TryParse(value, ignoreCase: true, out status) && Enum.IsDefined(status);

    private static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
