using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Abstractions.Delivery;

/// <summary>One attempt of one message, handed to a channel sender: the receivers that survived the pipeline, resolved to addresses.</summary>
[GenerateSerializer, Immutable, Alias("notify.ChannelDelivery")]
public sealed record ChannelDelivery(
    [property: Id(0)] string MessageId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] NotifyMessage Message,
    [property: Id(3)] IReadOnlyList<DeliveryRecipient> Recipients)
{
    public NotifyChannel Channel => Message.Channel;
}

/// <summary>A receiver as the caller wrote it and the channel address it resolved to.</summary>
[GenerateSerializer, Immutable, Alias("notify.DeliveryRecipient")]
public sealed record DeliveryRecipient(
    [property: Id(0)] string Receiver,
    [property: Id(1)] string Address,
    [property: Id(2)] RecipientKind Kind);

/// <summary>Whether a failed send may succeed if tried again.</summary>
[GenerateSerializer, Alias("notify.FailureKind")]
public enum FailureKind
{
    /// <summary>Connection errors, timeouts, SMTP 4xx, HTTP 408/429/5xx: retry with backoff.</summary>
    Transient = 0,
    /// <summary>SMTP 5xx, other HTTP 4xx, provider rejections: final at once.</summary>
    Permanent = 1,
}

/// <summary>Why a send failed, classified once by the channel's failure classifier.</summary>
/// <param name="OutcomeUnknown">
/// The provider had the whole message when the send failed and its answer never came (a reply lost to a dropped
/// connection or a timeout): it may have delivered it, so a retry may deliver a second copy.
/// <see cref="Kind"/> still says whether it is retried.
/// </param>
[GenerateSerializer, Immutable, Alias("notify.SendFailure")]
public sealed record SendFailure(
    [property: Id(0)] FailureKind Kind,
    [property: Id(1)] string Error,
    [property: Id(2)] TimeSpan? RetryAfter = null,
    [property: Id(3)] bool OutcomeUnknown = false)
{
    public static SendFailure Transient(string error, TimeSpan? retryAfter = null) => new(FailureKind.Transient, error, retryAfter);

    public static SendFailure Permanent(string error) => new(FailureKind.Permanent, error);

    /// <summary>No answer after the provider had the message: retried (at-least-once) and flagged as a possible duplicate.</summary>
    public static SendFailure Unknown(string error) => new(FailureKind.Transient, error, OutcomeUnknown: true);
}

/// <summary>The outcome for one address of a delivery.</summary>
[GenerateSerializer, Immutable, Alias("notify.RecipientResult")]
public sealed record RecipientResult(
    [property: Id(0)] string Address,
    [property: Id(1)] SendFailure? Failure,
    [property: Id(2)] string? ProviderMessageId = null)
{
    public bool Delivered => Failure is null;
}

/// <summary>The outcome of one delivery, one entry per recipient address.</summary>
[GenerateSerializer, Immutable, Alias("notify.DeliveryResult")]
public sealed record DeliveryResult([property: Id(0)] IReadOnlyList<RecipientResult> Recipients)
{
    public static DeliveryResult AllDelivered(IEnumerable<DeliveryRecipient> recipients, string? providerMessageId = null) =>
        new(recipients.Select(r => r.Address).Distinct(StringComparer.OrdinalIgnoreCase).Select(a => new RecipientResult(a, null, providerMessageId)).ToArray());

    public static DeliveryResult AllFailed(IEnumerable<DeliveryRecipient> recipients, SendFailure failure) =>
        new(recipients.Select(r => r.Address).Distinct(StringComparer.OrdinalIgnoreCase).Select(a => new RecipientResult(a, failure)).ToArray());
}
