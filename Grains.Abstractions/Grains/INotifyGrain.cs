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
}

[GenerateSerializer, Immutable, Alias("notify.SubmitResult")]
public sealed record SubmitResult(
    [property: Id(0)] string MessageId,
    [property: Id(1)] bool Replayed);
