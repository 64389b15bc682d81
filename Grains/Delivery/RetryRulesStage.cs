using Microsoft.Extensions.Options;

namespace Notify.Grains.Delivery;

/// <summary>
/// RetryRulesStage judges each receiver whose attempt failed (<see cref="MessageOutcomes.ApplyFailure"/>): a permanent
/// failure, or a transient one with no retry left, ends it Failed; a transient one with retries left makes it Retrying.
/// Returns the receivers that ended Failed.
/// </summary>
public sealed class RetryRulesStage(IOptions<DeliveryOptions> options) : IDeliveryStage
{
    public ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        var failed = new List<PendingReceiver>();
        foreach (var receiver in receivers)
        {
            MessageOutcomes.ApplyFailure(receiver.Outcome, receiver.Failure!, context.Attempt, options.Value.MaxRetries, context.Now);
            if (receiver.Outcome.Status == Abstractions.Records.ReceiverStatus.Failed)
            {
                failed.Add(receiver);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<PendingReceiver>>(failed);
    }
}
