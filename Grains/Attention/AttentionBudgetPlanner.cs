using Notify.Grains.Abstractions.Attention;

namespace Notify.Grains.Attention;

/// <summary>The per-person attention budget's decisions; it updates the state it is given and nothing else.</summary>
public static class AttentionBudgetPlanner
{
    /// <summary>
    /// Decides <paramref name="notice"/>: within budget (or critical) it is sent now and consumes budget; over budget it
    /// joins the channel's open digest, or opens one as <paramref name="newDigestId"/>.
    /// </summary>
    public static AttentionDecision Decide(
        AttentionState state, AttentionBudgetPolicy policy, AttentionNotice notice, DateTimeOffset now, string newDigestId)
    {
        var sent = Prune(state, policy, notice.Channel, now);
        var critical = notice.Level <= policy.CriticalLevel;
        if (critical || !policy.Budgets.TryGetValue(notice.Channel, out var budget) || sent.Count < budget)
        {
            sent.Add(now);
            return new SendNow();
        }
        if (!state.Digests.TryGetValue(notice.Channel, out var digest))
        {
            // Due when one unit refills, but never sooner than a window after the previous digest: one digest per window.
            var due = sent[sent.Count - budget] + policy.Window;
            if (state.LastDigestAt.TryGetValue(notice.Channel, out var last) && last + policy.Window > due)
                due = last + policy.Window;
            digest = new AttentionDigest { DigestId = newDigestId, Channel = notice.Channel, DueAt = due };
            state.Digests[notice.Channel] = digest;
        }
        digest.Entries.Add(notice);
        return new FoldIntoDigest(digest.DigestId, digest.DueAt);
    }

    /// <summary>Removes and returns the digests due at <paramref name="now"/>; a digest does not consume the immediate budget.</summary>
    public static IReadOnlyList<AttentionDigest> TakeDue(AttentionState state, DateTimeOffset now)
    {
        var due = state.Digests.Values.Where(d => d.DueAt <= now).OrderBy(d => d.DueAt).ToList();
        foreach (var digest in due)
        {
            state.Digests.Remove(digest.Channel);
            state.LastDigestAt[digest.Channel] = now;
        }
        return due;
    }

    /// <summary>When the next digest is due, for the reminder; null when none is open.</summary>
    public static DateTimeOffset? NextDue(AttentionState state) =>
        state.Digests.Count == 0 ? null : state.Digests.Values.Min(d => d.DueAt);

    private static List<DateTimeOffset> Prune(AttentionState state, AttentionBudgetPolicy policy, string channel, DateTimeOffset now)
    {
        if (!state.Sent.TryGetValue(channel, out var sent))
            state.Sent[channel] = sent = [];
        sent.RemoveAll(t => t + policy.Window <= now);
        return sent;
    }
}
