using System.Collections.Concurrent;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels;

namespace Notify.Bench;

/// <summary>
/// The benchmark's WeCom transport: answers every delivery as delivered at once and notes when each instance's notices
/// arrive, by the message reference <c>action:&lt;id&gt;/abnormal/&lt;executeTimes&gt;/rtx</c>.
/// </summary>
public sealed class ActionBenchTransport : IChannelTransport
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _repeats = new(StringComparer.Ordinal);
    private int _firstNotices;

    public NotifyChannel Channel => NotifyChannel.Rtx;

    public string Name => "bench-sink";

    public int MaxConcurrency => 64;

    public ChannelRateLimit? RateLimit => null;

    public SendFailure Classify(Exception exception) => FailureRules.ForException(exception, Classify);

    /// <summary>First notices (executeTimes 1) delivered so far.</summary>
    public int FirstNotices => Volatile.Read(ref _firstNotices);

    /// <summary>When each instance's first repeat (executeTimes 2) arrived, by action id.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Repeats => _repeats;

    public Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        var arrived = DateTimeOffset.UtcNow;
        var parts = delivery.Message.Reference.Split('/');
        if (parts is [var action, "abnormal", var executeTimes, ..] && action.StartsWith("action:", StringComparison.Ordinal))
        {
            switch (executeTimes)
            {
                case "1":
                    Interlocked.Increment(ref _firstNotices);
                    break;
                case "2":
                    _repeats.TryAdd(action["action:".Length..], arrived);
                    break;
            }
        }

        return Task.FromResult(DeliveryResult.AllDelivered(delivery.Recipients, $"bench-{delivery.MessageId}"));
    }
}
