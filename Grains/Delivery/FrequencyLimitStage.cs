using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Delivery;

/// <summary>
/// FrequencyLimitStage skips receivers who were sent the same content on the same channel within the message's
/// <c>frequencyLimit</c> minutes. One atomic check-and-reserve per receiver on its own grain, keyed by the exact
/// resolved address (BK-CI's substring match suppressed "bob" because "bobby" got it).
/// </summary>
public sealed class FrequencyLimitStage(IGrainFactory grainFactory) : IDeliveryStage
{
    public async ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        var minutes = context.Message.FrequencyLimitMinutes;
        if (minutes <= 0)
        {
            return receivers;
        }

        var checks = receivers.Select(async receiver =>
        {
            try
            {
                var grain = grainFactory.GetGrain<IFrequencyLimitGrain>(GrainKeys.FrequencyLimit(context.Message.Channel, receiver.Address));
                var decision = await grain.TryReserveAsync(context.Record.ContentMd5, minutes, context.MessageId);
                if (decision.Allowed)
                {
                    return true;
                }

                receiver.Stop(
                    ReceiverStatus.Suppressed,
                    OutcomeReason.FrequencyLimited,
                    $"the same content went to {receiver.Address} in message {decision.HeldBy} at {decision.HeldSince:u}, within the {minutes}-minute frequency limit",
                    context.Now,
                    decision.HeldBy);
                return false;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Unable to decide now: try this receiver again later rather than risk a duplicate or a drop.
                receiver.Failure = SendFailure.Transient($"frequency limit check failed: {exception.Message}");
                return false;
            }
        }).ToList();

        var allowed = await Task.WhenAll(checks);
        return receivers.Where((_, i) => allowed[i]).ToList();
    }
}
