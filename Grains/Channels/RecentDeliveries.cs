using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels;

/// <summary>
/// What one channel sender delivered recently, per message id and address. A message grain whose call was lost
/// retries an attempt whose outcome it does not know; when that attempt reached this sender after all (Orleans forwards
/// calls to a silo that is leaving, and the caller hears "silo unavailable" once it is gone), the retry is answered
/// from here instead of being sent a second time. Kept for <see cref="Window"/>, at most <see cref="Capacity"/> messages.
/// </summary>
public sealed class RecentDeliveries(NotifyChannel channel, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public const int Capacity = 100_000;

    private readonly Dictionary<string, Dictionary<string, RecipientResult>> _byMessage = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset At, string MessageId)> _order = new();

    /// <summary>The recipients of <paramref name="delivery"/> this sender has already delivered, by normalised address.</summary>
    public IReadOnlyDictionary<string, RecipientResult> Delivered(ChannelDelivery delivery) =>
        _byMessage.TryGetValue(delivery.MessageId, out var delivered) ? delivered : new Dictionary<string, RecipientResult>();

    public void Record(string messageId, IEnumerable<RecipientResult> results)
    {
        Prune();
        foreach (var result in results.Where(r => r.Delivered))
        {
            if (!_byMessage.TryGetValue(messageId, out var delivered))
            {
                delivered = new Dictionary<string, RecipientResult>(StringComparer.Ordinal);
                _byMessage[messageId] = delivered;
                _order.Enqueue((time.GetUtcNow(), messageId));
            }

            delivered[Key(result.Address)] = result;
        }
    }

    public string Key(string address) => GrainKeys.NormalizeAddress(channel, address);

    private void Prune()
    {
        var expired = time.GetUtcNow() - Window;
        while (_order.TryPeek(out var oldest) && (oldest.At < expired || _order.Count > Capacity))
        {
            _order.Dequeue();
            _byMessage.Remove(oldest.MessageId);
        }
    }
}
