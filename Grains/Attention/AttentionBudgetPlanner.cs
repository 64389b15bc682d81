using Notify.Grains.Abstractions.Attention;

namespace Notify.Grains.Attention;

/// <summary>The per-person attention budget's decisions; it updates the state it is given and nothing else.</summary>
public static class AttentionBudgetPlanner
{
    /// <summary>
    /// Decides <paramref name="notice"/>: within budget (or critical) it is sent now and consumes budget; over budget it
    /// joins the channel's open digest, or opens one as <paramref name="newDigestId"/>. During the person's
    /// <paramref name="quiet"/> hours a notice that is not critical joins the digest, due when the quiet period ends.
    /// </summary>
    public static AttentionDecision Decide(
        AttentionState state, AttentionBudgetPolicy policy, AttentionNotice notice, DateTimeOffset now, string newDigestId, QuietHours? quiet = null)
    {
        var sent = Prune(state, policy, notice.Channel, now);
        var critical = notice.Level <= policy.CriticalLevel;
        if (!critical && quiet?.EndOfQuietAt(now) is { } quietEnd)
        {
            return Fold(state, notice, newDigestId, quietEnd);
        }

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

    /// <summary>
    /// Removes and returns the digests due at <paramref name="now"/>; a digest does not consume the immediate budget.
    /// During <paramref name="quiet"/> hours none is: the due ones move to the end of the quiet period instead.
    /// </summary>
    public static IReadOnlyList<AttentionDigest> TakeDue(AttentionState state, DateTimeOffset now, QuietHours? quiet = null)
    {
        if (quiet?.EndOfQuietAt(now) is { } quietEnd)
        {
            foreach (var held in state.Digests.Values.Where(d => d.DueAt < quietEnd))
                held.DueAt = quietEnd;
            return [];
        }

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

    /// <summary>Joins the channel's digest, due no sooner than <paramref name="dueAt"/> (opening it if none is open).</summary>
    private static FoldIntoDigest Fold(AttentionState state, AttentionNotice notice, string newDigestId, DateTimeOffset dueAt)
    {
        if (!state.Digests.TryGetValue(notice.Channel, out var digest))
        {
            digest = new AttentionDigest { DigestId = newDigestId, Channel = notice.Channel, DueAt = dueAt };
            state.Digests[notice.Channel] = digest;
        }
        else if (digest.DueAt < dueAt)
        {
            digest.DueAt = dueAt;
        }

        digest.Entries.Add(notice);
        return new FoldIntoDigest(digest.DigestId, digest.DueAt);
    }

    private static List<DateTimeOffset> Prune(AttentionState state, AttentionBudgetPolicy policy, string channel, DateTimeOffset now)
    {
        if (!state.Sent.TryGetValue(channel, out var sent))
            state.Sent[channel] = sent = [];
        sent.RemoveAll(t => t + policy.Window <= now);
        return sent;
    }
}
