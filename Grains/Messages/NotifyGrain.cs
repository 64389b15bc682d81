using System.Diagnostics;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Telemetry;
using Orleans.Concurrency;

namespace Notify.Grains.Messages;

/// <summary>
/// Where every send enters the cluster (stateless, local to the caller's silo): validates, assigns the message id
/// and hands the message to its <see cref="MessageGrain"/>, which answers once the message is durably recorded.
/// </summary>
[StatelessWorker]
public sealed class NotifyGrain : Grain, INotifyGrain
{
    public const int MaxRequestIdLength = 128;

    public Task<SubmitResult> SubmitAsync(NotifyMessage message, string? requestId = null)
    {
        var valid = NotifyMessageValidator.EnsureValid(message);
        if (requestId is not null && (requestId.Length is 0 or > MaxRequestIdLength || requestId.Any(char.IsControl)))
        {
            throw NotifyRequestException.Invalid("requestId", $"must be 1-{MaxRequestIdLength} printable characters");
        }

        var messageId = GrainKeys.NewMessageId();
        Activity.Current?.SetTag("notify.message_id", messageId);
        return GrainFactory.GetGrain<IMessageGrain>(messageId).AcceptAsync(valid, requestId);
    }
}
