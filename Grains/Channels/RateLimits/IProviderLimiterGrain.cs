namespace Notify.Grains.Channels.RateLimits;

/// <summary>
/// The cluster-wide rate limit of one provider credential (<see cref="Abstractions.GrainKeys.ProviderLimiter"/>) or one
/// calling system's key (<see cref="Abstractions.GrainKeys.SourceLimiter"/>): it holds the token budget and hands each
/// silo a lease of tokens, so no send (or request) makes a call of its own.
/// </summary>
[Alias("notify.IProviderLimiterGrain")]
public interface IProviderLimiterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Between <paramref name="minimum"/> and <paramref name="wanted"/> tokens of <paramref name="quota"/> for the
    /// calling silo, or none and when <paramref name="minimum"/> will be there.
    /// </summary>
    [Alias("Lease")]
    Task<TokenLease> LeaseAsync(ProviderQuota quota, int minimum, int wanted);

    /// <summary>The provider asked to wait (<c>Retry-After</c>): no lease is granted before <paramref name="until"/>.</summary>
    [Alias("Pause")]
    Task PauseAsync(DateTimeOffset until);

    /// <summary>
    /// Takes <paramref name="tokens"/> for work done without a lease (an action instance's notices, charged to the key that
    /// created it): the budget may go into debt, and no lease is granted until it is paid back.
    /// </summary>
    [Alias("Charge")]
    Task ChargeAsync(int tokens);
}

/// <summary>A provider's quota: <see cref="Permits"/> requests per <see cref="Period"/>.</summary>
[GenerateSerializer, Immutable, Alias("notify.ProviderQuota")]
public sealed record ProviderQuota([property: Id(0)] int Permits, [property: Id(1)] TimeSpan Period)
{
    public TimeSpan TokenInterval => Period / Permits;
}

/// <summary>
/// Tokens granted to one silo (<see cref="Granted"/>, possibly none); with none, <see cref="RetryAt"/> says when the
/// budget has the minimum asked for. <see cref="PausedUntil"/> is set while the credential is paused.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.TokenLease")]
public sealed record TokenLease(
    [property: Id(0)] int Granted,
    [property: Id(1)] DateTimeOffset RetryAt,
    [property: Id(2)] DateTimeOffset? PausedUntil);
