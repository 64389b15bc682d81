using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace Notify.Grains.Channels.RateLimits;

/// <summary>
/// This silo's share of a provider credential's cluster-wide budget: permits come from tokens leased from the
/// credential's <see cref="IProviderLimiterGrain"/>, a lease's worth (<see cref="LeaseSize"/>, the budget of one lease
/// window) at a time, renewed in the background once half is used, so a send never waits on a grain call while the
/// budget lasts. Unused tokens lapse after <see cref="LeaseValidity"/> (or the time the budget needs to refill a
/// lease, when longer): a silo cannot save them up into a burst.
/// When the provider asks to wait, the pause applies here at once and, through the grain, on every silo at its next lease.
/// </summary>
public sealed partial class LeasedRateLimiter : RateLimiter
{
    /// <summary>How long granted tokens may be used.</summary>
    public static readonly TimeSpan LeaseValidity = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly IProviderLimiterGrain _grain;
    private readonly ProviderQuota _quota;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _validity;
    private readonly Lock _lock = new();
    private int _tokens;
    private DateTimeOffset _validUntil;
    private DateTimeOffset _askAgainAt;
    private DateTimeOffset _pausedUntil;
    private Task? _renewal;
    private DateTimeOffset? _idleSince;

    public LeasedRateLimiter(IProviderLimiterGrain grain, ChannelRateLimit limit, TimeSpan leaseWindow, TimeProvider time, ILogger logger)
    {
        _grain = grain;
        _quota = new ProviderQuota(limit.Permits, limit.Period);
        _time = time;
        _logger = logger;
        LeaseSize = (int)Math.Clamp(Math.Ceiling(limit.Permits * (leaseWindow / limit.Period)), 1, limit.Permits);
        _validity = LeaseValidity > _quota.TokenInterval * 2 ? LeaseValidity : _quota.TokenInterval * 2;
        _idleSince = time.GetUtcNow();
    }

    /// <summary>Tokens asked for per lease.</summary>
    public int LeaseSize { get; }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                return _idleSince is { } since ? _time.GetUtcNow() - since : null;
            }
        }
    }

    /// <summary>No sends on this silo before <c>now + <paramref name="delay"/></c>; the grain pauses the other silos.</summary>
    public void Pause(TimeSpan delay)
    {
        var until = _time.GetUtcNow() + delay;
        lock (_lock)
        {
            if (until <= _pausedUntil)
            {
                return;
            }

            _pausedUntil = until;
            _tokens = 0;
        }

        _ = TellGrainAsync(until);
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics { CurrentAvailablePermits = _validUntil > _time.GetUtcNow() ? _tokens : 0 };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            return TryTake(permitCount, _time.GetUtcNow()) ? Acquired.Instance : Refused.Instance;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var permits = Math.Min(permitCount, _quota.Permits);
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (TryTake(permits, now))
                {
                    return Acquired.Instance;
                }

                _idleSince = null;
                var resumeAt = _pausedUntil > _askAgainAt ? _pausedUntil : _askAgainAt;
                wait = resumeAt > now
                    ? Task.Delay(resumeAt - now, _time, cancellationToken)
                    : _renewal ??= RenewAsync(permits);
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Takes <paramref name="permits"/> at once if this silo holds them or one lease from the grain brings them, and
    /// otherwise refuses without queueing, saying how long until the budget should have them: for callers that answer
    /// "retry later" rather than wait (the gateway's per-key limits). More permits than the quota holds are never granted.
    /// </summary>
    public async ValueTask<TimeSpan?> TryAcquireNowAsync(int permits)
    {
        if (permits > _quota.Permits)
        {
            return _quota.Period;
        }

        // Twice: a renewal already under way may be one for fewer permits (the background top-up); then ask for these.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Task renewal;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (TryTake(permits, now))
                {
                    return null;
                }

                var resumeAt = _pausedUntil > _askAgainAt ? _pausedUntil : _askAgainAt;
                if (resumeAt > now)
                {
                    return resumeAt - now;
                }

                _idleSince = null;
                renewal = _renewal ??= RenewAsync(permits);
            }

            await renewal;
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (TryTake(permits, now))
            {
                return null;
            }

            var resumeAt = _pausedUntil > _askAgainAt ? _pausedUntil : _askAgainAt;
            return resumeAt > now ? resumeAt - now : _quota.TokenInterval * Math.Max(1, permits - _tokens);
        }
    }

    /// <summary>Takes <paramref name="permits"/> local tokens if there are that many; starts a renewal when running low.</summary>
    private bool TryTake(int permits, DateTimeOffset now)
    {
        if (_validUntil <= now)
        {
            _tokens = 0;
        }

        if (_pausedUntil > now || _tokens < permits)
        {
            return false;
        }

        _tokens -= permits;
        _idleSince = now;
        if (_tokens * 2 < LeaseSize && _renewal is null && _askAgainAt <= now)
        {
            _renewal = RenewAsync(1);
        }

        return true;
    }

    /// <summary>Asks the grain for at least <paramref name="minimum"/> tokens (a lease's worth if it has them).</summary>
    private async Task RenewAsync(int minimum)
    {
        // Callers hold the lock and store this task: it must not finish before they have.
        await Task.Yield();
        TokenLease? lease = null;
        try
        {
            lease = await _grain.LeaseAsync(_quota, minimum, Math.Max(minimum, LeaseSize));
        }
        catch (Exception exception)
        {
            // Without the grain no token is safe to use: sends wait (the queue limit answers them if it lasts).
            LogLeaseFailed(exception);
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _renewal = null;
            if (lease is null)
            {
                _askAgainAt = now + RetryAfterFailure;
                return;
            }

            if (lease.PausedUntil is { } paused && paused > _pausedUntil)
            {
                _pausedUntil = paused;
            }

            if (lease.Granted > 0)
            {
                _tokens = (_validUntil > now ? _tokens : 0) + lease.Granted;
                _validUntil = now + _validity;
            }

            _askAgainAt = lease.Granted > 0 ? now : lease.RetryAt;
        }
    }

    private async Task TellGrainAsync(DateTimeOffset until)
    {
        try
        {
            await _grain.PauseAsync(until);
        }
        catch (Exception exception)
        {
            // This silo is paused anyway; the others learn of the provider's answer from their own sends.
            LogPauseFailed(exception);
        }
    }

    private sealed class Acquired : RateLimitLease
    {
        public static readonly Acquired Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not lease rate-limit tokens; sends on this credential wait")]
    private partial void LogLeaseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pass the provider's Retry-After to the other silos")]
    private partial void LogPauseFailed(Exception exception);
}
