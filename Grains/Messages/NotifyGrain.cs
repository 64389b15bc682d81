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

    public async Task<SubmitResult> SubmitAsync(NotifyMessage message, string? requestId = null)
    {
        var valid = NotifyMessageValidator.EnsureValid(message);
        if (requestId is not null && (requestId.Length is 0 or > MaxRequestIdLength || requestId.Any(char.IsControl)))
        {
            throw NotifyRequestException.Invalid("requestId", $"must be 1-{MaxRequestIdLength} printable characters");
        }

        using var activity = NotifyMetrics.ActivitySource.StartActivity("notify.accept");
        activity?.SetTag("notify.channel", valid.Channel.Name());
        var messageId = GrainKeys.NewMessageId();
        if (requestId is not null)
        {
            // A retried submit maps to the message of the first one, which then answers as a replay.
            var key = GrainFactory.GetGrain<IIdempotencyKeyGrain>(IdempotencyKeyGrain.Key(valid.Source, requestId));
            messageId = await key.ClaimAsync(IdempotencyKeyGrain.BodyHash(valid), messageId);
        }

        activity?.SetTag("notify.message_id", messageId);
        return await GrainFactory.GetGrain<IMessageGrain>(messageId).AcceptAsync(valid, requestId);
    }
}
