using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Receivers;

/// <summary>
/// The frequency-limit decision, pure: a receiver who was reserved (sent, or being sent) the same content hash
/// within the asking message's window is skipped. The window is the asking message's, as in BK-CI; entries are kept
/// as long as the largest window this receiver has been asked with, so state stays small.
/// </summary>
public static class FrequencyWindow
{
    /// <summary>The decision, and whether <paramref name="state"/> changed (a new reservation or pruned entries) and must be written.</summary>
    public static (FrequencyDecision Decision, bool StateChanged) Decide(
        FrequencyLimitState state, string contentHash, TimeSpan window, string messageId, DateTimeOffset now)
    {
        var pruned = Prune(state, now);
        if (state.Entries.TryGetValue(contentHash, out var held) && held.ReservedAt + window > now)
        {
            var allowed = held.MessageId == messageId;
            return (new FrequencyDecision(allowed, held.MessageId, held.ReservedAt, held.ReservedAt + window), pruned);
        }

        state.Entries[contentHash] = new FrequencyEntry { MessageId = messageId, ReservedAt = now };
        if (window > state.Retention)
        {
            state.Retention = window;
        }

        return (new FrequencyDecision(true, messageId, now, now + window), true);
    }

    /// <summary>True when the reservation was held by <paramref name="messageId"/> and is now gone.</summary>
    public static bool Release(FrequencyLimitState state, string contentHash, string messageId) =>
        state.Entries.TryGetValue(contentHash, out var held) && held.MessageId == messageId && state.Entries.Remove(contentHash);

    /// <summary>Drops entries older than the retention; true when any were dropped.</summary>
    public static bool Prune(FrequencyLimitState state, DateTimeOffset now)
    {
        var expired = state.Entries.Where(e => e.Value.ReservedAt + state.Retention <= now).Select(e => e.Key).ToList();
        foreach (var hash in expired)
        {
            state.Entries.Remove(hash);
        }

        return expired.Count > 0;
    }
}

[GenerateSerializer, Alias("notify.FrequencyLimitState")]
public sealed class FrequencyLimitState
{
    [Id(0)] public Dictionary<string, FrequencyEntry> Entries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The largest window asked with so far: how long entries are kept.</summary>
    [Id(1)] public TimeSpan Retention { get; set; }
}

[GenerateSerializer, Alias("notify.FrequencyEntry")]
public sealed class FrequencyEntry
{
    [Id(0)] public string MessageId { get; set; } = "";

    [Id(1)] public DateTimeOffset ReservedAt { get; set; }
}
