namespace Notify.Grains.Delivery;

/// <summary>
/// Delay before retry <c>n</c> (1-based): <c>base × 2^(n−1)</c>, jittered to between half and all of it, capped;
/// a provider's Retry-After wins when it is longer (still capped).
/// </summary>
public static class RetryBackoff
{
    public static TimeSpan DelayBeforeRetry(int retry, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1.0);

        // 2^30 × any sane base overflows long ticks; the cap is reached long before, so clamp the exponent.
        var exponent = Math.Min(retry - 1, 30);
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        var jittered = capped * (0.5 + (0.5 * jitter));
        var delay = TimeSpan.FromMilliseconds(jittered);
        if (retryAfter is { } hint && hint > delay)
        {
            delay = hint < maxDelay ? hint : maxDelay;
        }

        return delay;
    }
}
