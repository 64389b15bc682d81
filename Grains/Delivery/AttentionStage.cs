using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Attention;

namespace Notify.Grains.Delivery;

/// <summary>
/// AttentionStage holds back alert notices from receivers who had their channel's budget of them within the window
/// (<c>Notify:Attention</c>): each receiver's <see cref="IPersonAttentionGrain"/> decides, and a held receiver stops
/// as Suppressed, naming the digest message that will carry the notice. Messages that are not alert notices, robot
/// messages (to a chat, not a person) and every message while the budget is off pass unchanged.
/// </summary>
public sealed class AttentionStage(IGrainFactory grainFactory, IOptions<AttentionOptions> options) : IDeliveryStage
{
    public async ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        var message = context.Message;
        if (!Applies(options.Value, message))
        {
            return receivers;
        }

        var checks = receivers.Select(async receiver =>
        {
            try
            {
                var grain = grainFactory.GetGrain<IPersonAttentionGrain>(
                    AttentionKeys.Person(message.Source, message.Channel, receiver.Username, receiver.Address));
                var decision = await grain.DecideAsync(Notice(context), receiver.Outcome.Receiver);
                if (decision is not FoldIntoDigest fold)
                {
                    return true;
                }

                receiver.Stop(ReceiverStatus.Suppressed, OutcomeReason.FoldedIntoDigest, Reason(fold), context.Now, fold.DigestId);
                return false;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Unable to decide now: try this receiver again later rather than interrupt or drop them.
                receiver.Failure = SendFailure.Transient($"attention budget check failed: {exception.Message}");
                return false;
            }
        }).ToList();

        var allowed = await Task.WhenAll(checks);
        return receivers.Where((_, i) => allowed[i]).ToList();
    }

    /// <summary>Whether the budget looks at <paramref name="message"/> at all.</summary>
    public static bool Applies(AttentionOptions options, Abstractions.Messages.NotifyMessage message) =>
        options.Enabled && message.AlertLevel > 0 && message.Channel != NotifyChannel.Wework;

    /// <summary>The detail of a held receiver, naming the digest message that will carry the notice and when.</summary>
    public static string Reason(FoldIntoDigest fold) => $"folded into digest {fold.DigestId}, due at {fold.DueAt:u}";

    private static AttentionNotice Notice(DeliveryContext context)
    {
        var message = context.Message;
        var title = message.AlertName is { Length: > 0 } name ? name : message.Title;
        return new AttentionNotice(message.Channel.Name(), message.AlertLevel, message.AlertId ?? "", title ?? "", Link: null, message.Source, context.MessageId);
    }
}
