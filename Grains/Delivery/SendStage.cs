using System.Collections.Concurrent;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels;

namespace Notify.Grains.Delivery;

/// <summary>
/// SendStage hands the surviving receivers to the channel's sender on this silo as one delivery and marks each
/// receiver with the channel's answer: delivered, or a classified failure that <see cref="RetryRulesStage"/> judges
/// next. A receiver listed twice (a username and the address it resolves to) is sent once.
/// </summary>
public sealed class SendStage(IGrainFactory grainFactory, ChannelDispatchers dispatchers, TimeProvider time) : IDeliveryStage
{
    // GetGrain(string) reads the interface's attributes on every call; a channel's reference never changes.
    private readonly ConcurrentDictionary<NotifyChannel, IChannelSenderGrain> _senders = new();

    public async ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        if (receivers.Count == 0)
        {
            return receivers;
        }

        var channel = context.Message.Channel;
        var recipients = receivers
            .DistinctBy(r => GrainKeys.NormalizeAddress(channel, r.Address))
            .Select(r => new DeliveryRecipient(r.Outcome.Receiver, r.Address, r.Outcome.Kind))
            .ToArray();
        var message = context.BlockedMentions.Count == 0
            ? context.Message
            : context.Message with { MentionedList = context.Message.MentionedList.Where(m => !context.BlockedMentions.Contains(m)).ToArray() };
        var delivery = new ChannelDelivery(context.MessageId, context.Attempt, message, recipients);

        DeliveryResult result;
        if (dispatchers.SiloStopping)
        {
            // While Orleans deactivates this silo's grains, a call to the stateless-worker sender can be forwarded to
            // another silo: it would send there and its answer could be lost with this activation, so the message
            // would be sent again. Handed back instead, like a queued delivery at the drain.
            result = DeliveryResult.AllFailed(recipients, ChannelDispatcher.HandedBack);
        }
        else
        {
            try
            {
                result = await _senders.GetOrAdd(channel, c => grainFactory.GetGrain<IChannelSenderGrain>(GrainKeys.ChannelSender(c))).DeliverAsync(delivery);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // No answer: the provider may or may not have sent it. Retry (at-least-once) and say so on the record.
                var unknown = SendFailure.Unknown($"delivery outcome unknown: {exception.GetType().Name}: {exception.Message}");
                foreach (var receiver in receivers)
                {
                    receiver.Outcome.Attempts++;
                    receiver.Failure = unknown;
                }

                return [];
            }
        }

        var answeredAt = time.GetUtcNow();
        var byAddress = result.Recipients
            .GroupBy(r => GrainKeys.NormalizeAddress(channel, r.Address))
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var receiver in receivers)
        {
            receiver.Outcome.Attempts++;
            if (!byAddress.TryGetValue(GrainKeys.NormalizeAddress(channel, receiver.Address), out var outcome))
            {
                receiver.Failure = SendFailure.Transient("the channel returned no result for this address");
            }
            else if (outcome.Failure is { } failure)
            {
                receiver.Failure = failure;
            }
            else
            {
                receiver.Outcome.ProviderMessageId = outcome.ProviderMessageId;
                receiver.Stop(ReceiverStatus.Sent, OutcomeReason.None, $"delivered on attempt {context.Attempt}", answeredAt);
            }
        }

        return [];
    }
}
