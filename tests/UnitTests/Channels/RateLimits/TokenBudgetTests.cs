using Notify.Grains.Channels.RateLimits;

namespace Notify.UnitTests.Channels.RateLimits;

public sealed class TokenBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    // 20 per minute: one token every 3 s.
    private static readonly ProviderQuota Robot = new(20, TimeSpan.FromMinutes(1));

    [Fact]
    public void Take_NewBudget_GrantsUpToAFullPeriodAndNoMore()
    {
        var budget = new TokenBudget(Robot, T0);

        Assert.Equal(15, budget.Take(1, 15, T0));
        Assert.Equal(5, budget.Take(1, 15, T0));
        Assert.Equal(0, budget.Take(1, 15, T0));
    }

    [Theory]
    [InlineData(2.9, 0)]
    [InlineData(3.0, 1)]
    [InlineData(9.0, 3)]
    [InlineData(3600.0, 20)]
    public void Take_AfterEmptying_RefillsOneTokenPerInterval_CappedAtThePeriod(double seconds, int expected)
    {
        var budget = new TokenBudget(Robot, T0);
        budget.Take(20, 20, T0);

        Assert.Equal(expected, budget.Take(1, 100, T0.AddSeconds(seconds)));
    }

    [Fact]
    public void Take_FewerThanTheMinimum_GrantsNone_AndSaysWhenThereAreEnough()
    {
        var budget = new TokenBudget(Robot, T0);
        budget.Take(19, 19, T0);

        Assert.Equal(0, budget.Take(3, 3, T0));
        Assert.Equal(T0.AddSeconds(6), budget.TokensAt(3, T0));
        Assert.Equal(3, budget.Take(3, 3, T0.AddSeconds(6)));
    }

    [Fact]
    public void Update_SmallerQuota_KeepsNoMoreThanItsCapacity()
    {
        var budget = new TokenBudget(Robot, T0);

        budget.Update(new ProviderQuota(5, TimeSpan.FromMinutes(1)), T0);

        Assert.Equal(5, budget.Take(1, 100, T0));
    }

    [Fact]
    public void Charge_BeyondWhatIsThere_OwesItAndGrantsNothingUntilRepaid()
    {
        var budget = new TokenBudget(Robot, T0);

        budget.Charge(26, T0);

        Assert.Equal(0, budget.Take(1, 1, T0));
        Assert.Equal(T0.AddSeconds(21), budget.TokensAt(1, T0));
        Assert.Equal(0, budget.Take(1, 1, T0.AddSeconds(20.9)));
        Assert.Equal(1, budget.Take(1, 1, T0.AddSeconds(21)));
    }
}
