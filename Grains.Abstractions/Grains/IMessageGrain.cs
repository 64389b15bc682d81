using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Abstractions.Grains;

/// <summary>One accepted message's life: delay, attempts, retries, final status. Keyed by message id.</summary>
[Alias("notify.IMessageGrain")]
public interface IMessageGrain : IGrainWithStringKey
{
    /// <summary>Records the message as Pending and schedules its first attempt. Idempotent for the same message.</summary>
    [Alias("Accept")]
    Task<SubmitResult> AcceptAsync(NotifyMessage message, string? requestId);

    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave]
    Task<MessageRecord?> GetAsync();

    /// <summary>Runs whatever is due (an overdue attempt after a crash, a missed wake-up). Harmless when nothing is.</summary>
    [Alias("Resume")]
    Task ResumeAsync();

    /// <summary>
    /// An operator's retry of a Failed or PartiallySent message: its failed receivers (or the one named) get a new
    /// attempt under the same record, journaled as any attempt is. Answers the record as written (Sending).
    /// </summary>
    [Alias("Retry")]
    Task<MessageRecord> RetryAsync(OperatorRequest request);

    /// <summary>
    /// An operator's cancel of a message not yet final (pending, delayed, retrying): it ends Cancelled, naming who and
    /// when. A message already final is refused as a conflict, so a cancel racing a send ends in exactly one final state.
    /// </summary>
    [Alias("Cancel")]
    Task<MessageRecord> CancelAsync(OperatorRequest request);
}
