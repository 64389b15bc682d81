using Notify.Grains.Channels.Http;
using Xunit;

namespace Notify.UnitTests.Channels.Http;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData("120", 120)]
    [InlineData("86400", 86400)]
    public void Parse_DeltaSeconds_ReturnsThatDelay(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(value, Now));

    [Fact]
    public void Parse_HttpDateAhead_ReturnsTimeUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Parse("Mon, 23 Nov 2026 08:01:30 GMT", Now));

    [Theory]
    [InlineData("Mon, 23 Nov 2026 07:59:00 GMT")]
    [InlineData("Mon, 23 Nov 2026 08:00:00 GMT")]
    public void Parse_HttpDateNotAhead_ReturnsZero(string value) =>
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(value, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void Parse_AbsentOrMalformed_ReturnsNull(string? value) =>
        Assert.Null(RetryAfterHeader.Parse(value, Now));

    [Fact]
    public void ToDelay_NoHeader_ReturnsNull() =>
        Assert.Null(RetryAfterHeader.ToDelay(null, Now));
}
