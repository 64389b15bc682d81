using Microsoft.Extensions.Logging;

namespace Notify.Grains.Channels.RateLimits;

/// <summary>
/// Holds one provider credential's budget for the whole cluster. In memory only: when its silo goes, the next
/// activation starts with a full budget, so a failover may allow one extra period's burst; the tokens a dead silo held
/// unused are simply lost (fewer sends, never more).
/// </summary>
public sealed partial class ProviderLimiterGrain(TimeProvider time, ILogger<ProviderLimiterGrain> logger) : Grain, IProviderLimiterGrain
{
    private TokenBudget? _budget;
    private DateTimeOffset? _pausedUntil;

    // Charged before the first lease told this activation the quota; taken from the budget when it is made.
    private int _unbudgetedCharge;

    public Task<TokenLease> LeaseAsync(ProviderQuota quota, int minimum, int wanted)
    {
        var now = time.GetUtcNow();
        if (_budget is null)
        {
            _budget = new TokenBudget(quota, now);
            _budget.Charge(_unbudgetedCharge, now);
            _unbudgetedCharge = 0;
        }
        else if (_budget.Quota != quota)
        {
            _budget.Update(quota, now);
        }

        if (_pausedUntil is { } paused && paused > now)
        {
            return Task.FromResult(new TokenLease(0, paused, paused));
        }

        // A minimum beyond the budget's capacity could never be met; the caller caps it, this keeps the grain safe.
        minimum = Math.Clamp(minimum, 1, quota.Permits);
        var granted = _budget.Take(minimum, Math.Max(minimum, wanted), now);
        return Task.FromResult(new TokenLease(granted, granted > 0 ? now : _budget.TokensAt(minimum, now), null));
    }

    public Task ChargeAsync(int tokens)
    {
        if (tokens > 0)
        {
            if (_budget is null)
            {
                _unbudgetedCharge += tokens;
            }
            else
            {
                _budget.Charge(tokens, time.GetUtcNow());
            }
        }

        return Task.CompletedTask;
    }

    public Task PauseAsync(DateTimeOffset until)
    {
        if (_pausedUntil is not { } paused || until > paused)
        {
            _pausedUntil = until;
            LogPaused(this.GetPrimaryKeyString(), until);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider {Credential} asked to wait: no sends before {Until:u}")]
    private partial void LogPaused(string credential, DateTimeOffset until);
}
