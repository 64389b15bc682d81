using Notify.Grains.Abstractions.Attention;

namespace Notify.Grains.Attention;

/// <summary>What <see cref="PersonAttentionGrain"/> stores: the planner's state and what the grain needs to carry out its decisions.</summary>
[GenerateSerializer, Alias("notify.PersonAttentionState")]
public sealed class PersonAttentionState
{
    [Id(0)] public AttentionState Budget { get; set; } = new();

    /// <summary>Who each channel's open digest goes to, as the held notices' messages listed them.</summary>
    [Id(1)] public Dictionary<string, string> Receivers { get; set; } = [];

    /// <summary>Messages sent now, with when: a retried attempt of one is answered as before rather than counted again.</summary>
    [Id(2)] public Dictionary<string, DateTimeOffset> SentNow { get; set; } = [];

    /// <summary>
    /// Digests taken from the budget and written here before they are submitted, with their receiver: a digest is
    /// submitted until it is accepted (its message id makes a second submit a replay), even across a crash.
    /// </summary>
    [Id(3)] public List<OutgoingDigest> Outgoing { get; set; } = [];
}

[GenerateSerializer, Alias("notify.OutgoingDigest")]
public sealed record OutgoingDigest([property: Id(0)] AttentionDigest Digest, [property: Id(1)] string Receiver);
