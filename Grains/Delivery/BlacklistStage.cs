using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Receivers;

namespace Notify.Grains.Delivery;

/// <summary>
/// BlacklistStage removes every receiver whose name, directory username or resolved address is blacklisted, on every
/// channel and in receivers, cc and bcc alike (the single dispatch choke point BK-CI lacked). It reads the silo's
/// cached snapshot, so it costs no grain call.
/// </summary>
public sealed class BlacklistStage(BlacklistCache cache) : IDeliveryStage
{
    public async ValueTask<IReadOnlyList<PendingReceiver>> ExecAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync();
        if (snapshot.Users.Count == 0)
        {
            return receivers;
        }

        var users = snapshot.Users.ToHashSet(StringComparer.Ordinal);
        var addresses = snapshot.Addresses.ToHashSet(StringComparer.Ordinal);
        context.BlockedMentions = context.Message.MentionedList.Where(m => users.Contains(BlacklistGrain.Normalize(m))).ToHashSet(StringComparer.Ordinal);

        var survivors = new List<PendingReceiver>(receivers.Count);
        foreach (var receiver in receivers)
        {
            var match = Match(receiver, users, addresses);
            if (match is null)
            {
                survivors.Add(receiver);
            }
            else
            {
                receiver.Stop(ReceiverStatus.Blocked, OutcomeReason.Blacklisted, $"{match} is on the blacklist", context.Now);
            }
        }

        return survivors;
    }

    private static string? Match(PendingReceiver receiver, HashSet<string> users, HashSet<string> addresses)
    {
        var written = BlacklistGrain.Normalize(receiver.Outcome.Receiver);
        if (users.Contains(written))
        {
            return $"'{receiver.Outcome.Receiver}'";
        }

        if (receiver.Username is { } username && users.Contains(BlacklistGrain.Normalize(username)))
        {
            return $"user '{username}'";
        }

        var address = BlacklistGrain.Normalize(receiver.Address);
        return users.Contains(address) || addresses.Contains(address)
            ? $"address '{receiver.Address}' (a blacklisted user's)"
            : null;
    }
}
