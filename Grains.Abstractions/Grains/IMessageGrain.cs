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
}
