using Notify.Grains.Delivery;

namespace Notify.UnitTests.Delivery;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    [Theory]
    // retry, jitter, expected seconds: base × 2^(retry−1), scaled into [½, 1] by jitter, capped
    [InlineData(1, 1.0, 30)]
    [InlineData(2, 1.0, 60)]
    [InlineData(3, 1.0, 120)]
    [InlineData(3, 0.0, 60)]
    [InlineData(3, 0.5, 90)]
    [InlineData(6, 1.0, 600)]
    [InlineData(60, 1.0, 600)]
    [InlineData(int.MaxValue, 0.0, 300)]
    public void DelayBeforeRetry_DoublesJittersAndCaps(int retry, double jitter, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryBackoff.DelayBeforeRetry(retry, Base, Cap, null, jitter));

    [Fact]
    public void DelayBeforeRetry_LongerRetryAfter_Wins() =>
        Assert.Equal(TimeSpan.FromSeconds(90), RetryBackoff.DelayBeforeRetry(1, Base, Cap, TimeSpan.FromSeconds(90), 1.0));

    [Fact]
    public void DelayBeforeRetry_ShorterRetryAfter_DoesNotShortenTheBackoff() =>
        Assert.Equal(TimeSpan.FromSeconds(60), RetryBackoff.DelayBeforeRetry(2, Base, Cap, TimeSpan.FromSeconds(5), 1.0));

    [Fact]
    public void DelayBeforeRetry_RetryAfterBeyondCap_IsCapped() =>
        Assert.Equal(Cap, RetryBackoff.DelayBeforeRetry(1, Base, Cap, TimeSpan.FromHours(3), 1.0));

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, -0.1)]
    [InlineData(1, 1.1)]
    public void DelayBeforeRetry_OutOfRangeArguments_Throw(int retry, double jitter) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryBackoff.DelayBeforeRetry(retry, Base, Cap, null, jitter));
}
