using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Delivery;

/// <summary>
/// ReleaseReservationStage gives back the frequency-limit reservation of each receiver that failed for good, so a
/// later message with the same content may reach them; a release that fails only lets the reservation expire with its
/// window. The receivers go no further.
/// </summary>
public sealed partial class ReleaseReservationStage(IGrainFactory grainFactory, ILogger<ReleaseReservationStage> logger) : IDeliveryStage
{
    public async ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        if (context.Message.FrequencyLimitMinutes <= 0)
        {
            return [];
        }

        await Task.WhenAll(receivers.Where(r => r.Address.Length > 0).Select(async receiver =>
        {
            try
            {
                await grainFactory.GetGrain<IFrequencyLimitGrain>(GrainKeys.FrequencyLimit(context.Message.Channel, receiver.Address))
                    .ReleaseAsync(context.Record.ContentMd5, context.MessageId);
            }
            catch (Exception exception)
            {
                LogReleaseFailed(exception, context.MessageId, receiver.Address);
            }
        }));
        return [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: releasing the frequency-limit reservation of {Address} failed")]
    private partial void LogReleaseFailed(Exception exception, string messageId, string address);
}
