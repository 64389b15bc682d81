using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Channels;
using Notify.Grains.Channels.RateLimits;

namespace Notify.UnitTests.Channels.RateLimits;

/// <summary>
/// A silo's share of a credential's budget, against a stand-in for the limiter grain that holds one real
/// <see cref="TokenBudget"/> for every "silo" in the test, as the grain does for the cluster.
/// </summary>
public sealed class LeasedRateLimiterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class BudgetGrain(FakeTimeProvider time) : IProviderLimiterGrain
    {
        private TokenBudget? _budget;
        private DateTimeOffset? _paused;

        public int Leases { get; private set; }

        public int Granted { get; private set; }

        public Task<TokenLease> LeaseAsync(ProviderQuota quota, int minimum, int wanted)
        {
            lock (this)
            {
                Leases++;
                var now = time.GetUtcNow();
                _budget ??= new TokenBudget(quota, now);
                if (_paused > now)
                {
                    return Task.FromResult(new TokenLease(0, _paused.Value, _paused));
                }

                var granted = _budget.Take(minimum, wanted, now);
                Granted += granted;
                return Task.FromResult(new TokenLease(granted, granted > 0 ? now : _budget.TokensAt(minimum, now), null));
            }
        }

        public Task PauseAsync(DateTimeOffset until)
        {
            lock (this)
            {
                _paused = until;
            }

            return Task.CompletedTask;
        }

        public Task ChargeAsync(int tokens)
        {
            lock (this)
            {
                _budget!.Charge(tokens, time.GetUtcNow());
            }

            return Task.CompletedTask;
        }
    }

    private static LeasedRateLimiter Silo(BudgetGrain grain, FakeTimeProvider time, int permits, TimeSpan period) =>
        new(grain, new ChannelRateLimit(permits, period, "test"), TimeSpan.FromMilliseconds(100), time, NullLogger.Instance);

    private static async Task<int> AcquireWithinAsync(RateLimiter limiter, int count)
    {
        var acquired = 0;
        using var soon = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        soon.CancelAfter(TimeSpan.FromMilliseconds(300));
        try
        {
            for (var i = 0; i < count; i++)
            {
                using var lease = await limiter.AcquireAsync(1, soon.Token);
                acquired++;
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // Proving an absence: the budget is spent, so the next permit waits for the (fake) clock.
        }

        return acquired;
    }

    [Fact]
    public void LeaseSize_IsTheBudgetOfOneLeaseWindow()
    {
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);

        Assert.Equal(100, Silo(grain, time, 1000, TimeSpan.FromSeconds(1)).LeaseSize);
        Assert.Equal(1, Silo(grain, time, 20, TimeSpan.FromMinutes(1)).LeaseSize);
    }

    [Fact]
    public async Task AcquireAsync_TwoSilosShareOneBudget_TogetherNeverMoreThanIt()
    {
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var a = Silo(grain, time, 50, TimeSpan.FromMinutes(1));
        var b = Silo(grain, time, 50, TimeSpan.FromMinutes(1));

        var fromA = await AcquireWithinAsync(a, 40);
        var fromB = await AcquireWithinAsync(b, 40);

        // A may hold a token it leased ahead and has not used: B gets the rest, never more.
        Assert.Equal(40, fromA);
        Assert.InRange(fromB, 9, 10);
        Assert.Equal(50, grain.Granted);
    }

    [Fact]
    public async Task AcquireAsync_WithinALease_CallsTheGrainOncePerLeaseNotPerSend()
    {
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var silo = Silo(grain, time, 1000, TimeSpan.FromSeconds(1));

        Assert.Equal(40, await AcquireWithinAsync(silo, 40));

        // One lease of 100 covers the 40; at most one background renewal is asked for when half is used.
        Assert.InRange(grain.Leases, 1, 2);
    }

    [Fact]
    public async Task AcquireAsync_BudgetSpent_WaitsForTheRefill()
    {
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var silo = Silo(grain, time, 2, TimeSpan.FromMinutes(1));
        Assert.Equal(2, await AcquireWithinAsync(silo, 2));

        var third = silo.AcquireAsync(1, Ct).AsTask();
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));

        using var lease = await third.WaitAsync(Wait, Ct);
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_SeveralPermits_AreLeasedTogetherEvenWhenSlowerThanALeaseLasts()
    {
        // 20 per minute: a three-part robot message needs 9 s of budget, longer than a lease is valid.
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var silo = Silo(grain, time, 20, TimeSpan.FromMinutes(1));
        Assert.Equal(20, await AcquireWithinAsync(silo, 20));

        var threeParts = silo.AcquireAsync(3, Ct).AsTask();
        for (var i = 0; i < 4 && !threeParts.IsCompleted; i++)
        {
            await Task.Delay(50, Ct);
            time.Advance(TimeSpan.FromSeconds(3));
        }

        using var lease = await threeParts.WaitAsync(Wait, Ct);
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public async Task Pause_StopsThisSiloAtOnce_AndTheOthersAtTheirNextLease()
    {
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var paused = Silo(grain, time, 1000, TimeSpan.FromSeconds(1));
        var other = Silo(grain, time, 1000, TimeSpan.FromSeconds(1));
        Assert.Equal(1, await AcquireWithinAsync(paused, 1));

        paused.Pause(TimeSpan.FromSeconds(30));

        Assert.Equal(0, await AcquireWithinAsync(paused, 1));
        Assert.Equal(0, await AcquireWithinAsync(other, 1));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await AcquireWithinAsync(other, 1));
    }

    [Fact]
    public async Task TryAcquireNowAsync_TwoSilosShareOneBudget_RefuseBeyondItAndSayHowLong()
    {
        // A calling system's key: 12 deliveries per minute, asked for from two silos' gateways.
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var a = Silo(grain, time, 12, TimeSpan.FromMinutes(1));
        var b = Silo(grain, time, 12, TimeSpan.FromMinutes(1));

        var accepted = new List<TimeSpan?>();
        for (var i = 0; i < 5; i++)
        {
            accepted.Add(await a.TryAcquireNowAsync(1));
        }

        accepted.Add(await b.TryAcquireNowAsync(6));
        var more = new List<TimeSpan?>();
        for (var i = 0; i < 5; i++)
        {
            more.Add(await a.TryAcquireNowAsync(1));
            more.Add(await b.TryAcquireNowAsync(1));
        }

        // 11 taken; a silo may hold one token it leased ahead, so at most one more is granted, never a 13th.
        Assert.All(accepted, r => Assert.Null(r));
        Assert.InRange(more.Count(r => r is null), 0, 1);
        Assert.All(more.Where(r => r is not null), r => Assert.InRange(r!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1)));
        Assert.InRange(grain.Granted, 11, 12);

        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await b.TryAcquireNowAsync(2));
    }

    [Fact]
    public async Task TryAcquireNowAsync_MoreThanTheQuotaHolds_IsRefusedWithoutAskingTheGrain()
    {
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var silo = Silo(grain, time, 12, TimeSpan.FromMinutes(1));

        Assert.Equal(TimeSpan.FromMinutes(1), await silo.TryAcquireNowAsync(13));
        Assert.Equal(0, grain.Leases);
    }

    [Fact]
    public async Task ChargeAsync_WorkDoneWithoutALease_PutsTheBudgetInDebtUntilItRefills()
    {
        var time = new FakeTimeProvider();
        var grain = new BudgetGrain(time);
        var silo = Silo(grain, time, 12, TimeSpan.FromMinutes(1));
        Assert.Null(await silo.TryAcquireNowAsync(1));

        // An action instance's notices to 17 receivers: at most 11 tokens were left, so the budget owes 6 or more
        // (7 when the silo leased one ahead; that one lapses unused within 10 s, two token intervals).
        await grain.ChargeAsync(17);
        time.Advance(TimeSpan.FromSeconds(11));

        Assert.NotNull(await silo.TryAcquireNowAsync(1));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.NotNull(await silo.TryAcquireNowAsync(1));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await silo.TryAcquireNowAsync(1));
    }
}
