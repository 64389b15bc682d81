using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Abstractions.Grains;

/// <summary>
/// A grain that submitted a message and wants its final outcome (an action instance waiting for its notices).
/// Told at most once per message on a best-effort basis: a listener must also be able to ask for the record.
/// </summary>
[Alias("notify.IMessageCompletionListener")]
public interface IMessageCompletionListener : IGrain
{
    [Alias("OnMessageCompleted")]
    Task OnMessageCompletedAsync(MessageCompletion completion);
}

/// <summary>A message's final outcome, counted per receiver status.</summary>
[GenerateSerializer, Immutable, Alias("notify.MessageCompletion")]
public sealed record MessageCompletion(
    [property: Id(0)] string MessageId,
    [property: Id(1)] MessageStatus Status,
    [property: Id(2)] string Reference,
    [property: Id(3)] int Sent,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Suppressed,
    [property: Id(6)] int Blocked,
    [property: Id(7)] string? LastError)
{
    public static MessageCompletion From(MessageRecord record) => new(
        record.Id,
        record.Status,
        record.Message.Reference,
        record.Receivers.Count(r => r.Status == ReceiverStatus.Sent),
        record.Receivers.Count(r => r.Status == ReceiverStatus.Failed),
        record.Receivers.Count(r => r.Status == ReceiverStatus.Suppressed),
        record.Receivers.Count(r => r.Status == ReceiverStatus.Blocked),
        record.LastError);
}
