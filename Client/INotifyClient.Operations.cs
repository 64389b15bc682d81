using Notify.Grains.Abstractions.Records;

namespace Notify.Client;

/// <summary>Operator actions on messages (an admin key on the gRPC gateway).</summary>
public partial interface INotifyClient
{
    /// <summary>
    /// A new attempt for a failed or partially sent message: its failed receivers, or only <paramref name="receiver"/>.
    /// Answers the record as written (Sending); the attempt runs right after.
    /// </summary>
    Task<MessageRecord> RetryMessageAsync(string messageId, string? receiver = null, string? note = null);

    /// <summary>Ends a pending, delayed or retrying message Cancelled; a message already final is refused as a conflict.</summary>
    Task<MessageRecord> CancelMessageAsync(string messageId, string? note = null);
}
