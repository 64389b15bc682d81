namespace Notify.Grains.Channels.RateLimits;

/// <summary>
/// A token bucket over an injected clock: <see cref="Quota"/>'s permits per period, refilled continuously, holding at
/// most one period's worth. Hand-written because <c>System.Threading.RateLimiting</c>'s bucket reads the machine
/// clock and grants all or nothing, and a lease wants "as many as there are, up to N" at a time a test can set.
/// </summary>
public sealed class TokenBudget(ProviderQuota quota, DateTimeOffset now)
{
    private double _tokens = quota.Permits;
    private DateTimeOffset _updatedAt = now;

    public ProviderQuota Quota { get; private set; } = quota;

    /// <summary>
    /// Takes as many whole tokens as there are, up to <paramref name="wanted"/>, provided there are at least
    /// <paramref name="minimum"/>; otherwise none. Returns how many were taken.
    /// </summary>
    public int Take(int minimum, int wanted, DateTimeOffset now)
    {
        Refill(now);
        var available = (int)Math.Floor(_tokens);
        if (available < minimum)
        {
            return 0;
        }

        var granted = Math.Min(wanted, available);
        _tokens -= granted;
        return granted;
    }

    /// <summary>
    /// Takes <paramref name="tokens"/> whether or not they are there: for work already done that must be paid for
    /// (an action instance's notices). The budget may go below zero; nothing is granted until it has refilled.
    /// </summary>
    public void Charge(int tokens, DateTimeOffset now)
    {
        Refill(now);
        _tokens -= tokens;
    }

    /// <summary>When <paramref name="count"/> whole tokens are there (now if they are).</summary>
    public DateTimeOffset TokensAt(int count, DateTimeOffset now)
    {
        Refill(now);
        return _tokens >= count ? now : now + ((count - _tokens) * Quota.TokenInterval);
    }

    /// <summary>A changed configuration applies from now on; tokens already there stay, within the new capacity.</summary>
    public void Update(ProviderQuota quota, DateTimeOffset now)
    {
        Refill(now);
        Quota = quota;
        _tokens = Math.Min(_tokens, quota.Permits);
    }

    private void Refill(DateTimeOffset now)
    {
        if (now > _updatedAt)
        {
            _tokens = Math.Min(Quota.Permits, _tokens + ((now - _updatedAt) / Quota.TokenInterval));
            _updatedAt = now;
        }
    }
}
