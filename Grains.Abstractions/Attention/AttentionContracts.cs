namespace Notify.Grains.Abstractions.Attention;

/// <summary>One notice to one person on one channel, as the attention budget sees it.</summary>
[GenerateSerializer, Alias("Notify.AttentionNotice")]
public sealed record AttentionNotice(
    [property: Id(0)] string Channel,
    [property: Id(1)] int Level,
    [property: Id(2)] string AlertId,
    [property: Id(3)] string AlertTitle,
    [property: Id(4)] string? Link,
    [property: Id(5)] string Source,
    [property: Id(6)] string MessageId);

/// <summary>A person's pending digest on one channel: every notice folded into it since it opened.</summary>
[GenerateSerializer, Alias("Notify.AttentionDigest")]
public sealed class AttentionDigest
{
    [Id(0)] public string DigestId { get; set; } = "";
    [Id(1)] public string Channel { get; set; } = "";
    [Id(2)] public DateTimeOffset DueAt { get; set; }
    [Id(3)] public List<AttentionNotice> Entries { get; set; } = [];
}

/// <summary>A person's attention state: recent immediate notices and open digests, per channel.</summary>
[GenerateSerializer, Alias("Notify.AttentionState")]
public sealed class AttentionState
{
    /// <summary>When each immediate notice went out, per channel, oldest first (pruned to the window).</summary>
    [Id(0)] public Dictionary<string, List<DateTimeOffset>> Sent { get; set; } = [];
    [Id(1)] public Dictionary<string, AttentionDigest> Digests { get; set; } = [];
    /// <summary>When the last digest per channel went out: the next one waits a full window after it.</summary>
    [Id(2)] public Dictionary<string, DateTimeOffset> LastDigestAt { get; set; } = [];
}

/// <summary>What the budget decided for one notice.</summary>
[GenerateSerializer, Alias("Notify.AttentionDecision")]
public abstract record AttentionDecision;

/// <summary>Send now; it consumed one unit of the channel's budget.</summary>
[GenerateSerializer, Alias("Notify.AttentionSendNow")]
public sealed record SendNow : AttentionDecision;

/// <summary>Not sent now: folded into digest <paramref name="DigestId"/>, which goes out at <paramref name="DueAt"/>.</summary>
[GenerateSerializer, Alias("Notify.AttentionFold")]
public sealed record FoldIntoDigest([property: Id(0)] string DigestId, [property: Id(1)] DateTimeOffset DueAt) : AttentionDecision;
