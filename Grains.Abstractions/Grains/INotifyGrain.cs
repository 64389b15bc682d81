using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Grains;

/// <summary>Entry point for sends: validates, assigns the message id and hands the message to its MessageGrain.</summary>
[Alias("notify.INotifyGrain")]
public interface INotifyGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Accepts a message. Returns only after the message is durably recorded (acknowledged ⇒ durable).
    /// Throws <see cref="NotifyRequestException"/> for invalid input.
    /// </summary>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(NotifyMessage message, string? requestId = null);

    /// <summary>
    /// Accepts 1 to <see cref="NotifyLimits.MaxBatchMessages"/> messages of any channels in one call, each on its own:
    /// one result per entry, in order, either its <see cref="SubmitResult"/> (durably recorded, as for
    /// <see cref="SubmitAsync"/>) or why it was not accepted. One entry's refusal never affects another.
    /// Throws <see cref="NotifyRequestException"/> only when the batch itself is invalid (empty or too long).
    /// </summary>
    [Alias("SubmitBatch")]
    Task<IReadOnlyList<BatchSubmitResult>> SubmitBatchAsync(IReadOnlyList<BatchSubmitEntry> entries);
}

/// <summary>One message of a batch and its own idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("notify.BatchSubmitEntry")]
public sealed record BatchSubmitEntry(
    [property: Id(0)] NotifyMessage Message,
    [property: Id(1)] string? RequestId = null);

/// <summary>
/// What became of one batch entry: <see cref="Accepted"/>, or <see cref="ErrorKind"/> with the field errors (field
/// names as for a single send). An <see cref="RequestErrorKind.Unavailable"/> entry was not stored; retrying it with
/// its request id is safe.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.BatchSubmitResult")]
public sealed record BatchSubmitResult(
    [property: Id(0)] SubmitResult? Accepted,
    [property: Id(1)] RequestErrorKind? ErrorKind,
    [property: Id(2)] IReadOnlyList<FieldError> Errors)
{
    public static BatchSubmitResult Ok(SubmitResult accepted) => new(accepted, null, []);

    public static BatchSubmitResult Refused(NotifyRequestException exception) => new(null, exception.Kind, exception.Errors);
}

[GenerateSerializer, Immutable, Alias("notify.SubmitResult")]
public sealed record SubmitResult(
    [property: Id(0)] string MessageId,
    [property: Id(1)] bool Replayed);
