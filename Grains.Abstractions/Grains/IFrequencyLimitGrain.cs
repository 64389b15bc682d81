namespace Notify.Grains.Abstractions.Grains;

/// <summary>
/// "The same content to the same receiver on the same channel within N minutes is sent once."
/// Keyed by <see cref="GrainKeys.FrequencyLimit"/>; check-and-reserve is one grain call, so it is atomic.
/// </summary>
[Alias("notify.IFrequencyLimitGrain")]
public interface IFrequencyLimitGrain : IGrainWithStringKey
{
    /// <summary>Reserves <paramref name="contentHash"/> for <paramref name="messageId"/> unless another message holds it within the window.</summary>
    [Alias("TryReserve")]
    Task<FrequencyDecision> TryReserveAsync(string contentHash, int windowMinutes, string messageId);

    /// <summary>Gives a reservation back after its send failed for good, so a later message may try.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string contentHash, string messageId);
}

[GenerateSerializer, Immutable, Alias("notify.FrequencyDecision")]
public sealed record FrequencyDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] string? HeldBy,
    [property: Id(2)] DateTimeOffset? HeldSince,
    [property: Id(3)] DateTimeOffset? ExpiresAt);
