using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Scheduling;

namespace Notify.UnitTests.Scheduling;

public sealed class NotifyIntervalCalculatorTests
{
    private const int Cap = NotifyIntervalCalculator.MaxIntervalSeconds;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(10_000)]
    public void Calculate_Standard_ReturnsTheIntervalWhateverTheExecution(int executeTimes) =>
        Assert.Equal(7200, NotifyIntervalCalculator.Calculate(true, 7200, IntervalNotifyMode.Standard, executeTimes));

    [Theory]
    // int(notify_interval × 2^(execute_times − 1)), execute_times counting from 1.
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(3, 240)]
    [InlineData(4, 480)]
    [InlineData(5, 960)]
    [InlineData(6, 1_920)]
    [InlineData(7, 3_840)]
    [InlineData(8, 7_680)]
    [InlineData(9, 15_360)]
    [InlineData(10, 30_720)]
    public void Calculate_Increasing_DoublesAfterEveryExecution(int executeTimes, int expected) =>
        Assert.Equal(expected, NotifyIntervalCalculator.Calculate(true, 60, IntervalNotifyMode.Increasing, executeTimes));

    [Theory]
    [InlineData(IntervalNotifyMode.Standard)]
    [InlineData(IntervalNotifyMode.Increasing)]
    public void Calculate_NeedPollFalse_ReturnsZero(IntervalNotifyMode mode) =>
        Assert.Equal(0, NotifyIntervalCalculator.Calculate(false, 7200, mode, 3));

    [Theory]
    // The checker treats notify_interval <= 0 as "no repeat".
    [InlineData(0, IntervalNotifyMode.Standard)]
    [InlineData(0, IntervalNotifyMode.Increasing)]
    [InlineData(-60, IntervalNotifyMode.Standard)]
    [InlineData(-60, IntervalNotifyMode.Increasing)]
    public void Calculate_ZeroOrNegativeInterval_ReturnsZero(int interval, IntervalNotifyMode mode) =>
        Assert.Equal(0, NotifyIntervalCalculator.Calculate(true, interval, mode, 4));

    [Theory]
    // 7200 × 2^8 = 1,843,200 is under the 30-day cap; 7200 × 2^9 = 3,686,400 is over it.
    [InlineData(7200, 9, 1_843_200)]
    [InlineData(7200, 10, Cap)]
    // 1 × 2^21 = 2,097,152 is the last exact value for a 1-second interval; 2^22 exceeds the cap.
    [InlineData(1, 22, 2_097_152)]
    [InlineData(1, 23, Cap)]
    // Huge exponents and intervals never overflow: the cap is returned.
    [InlineData(7200, 64, Cap)]
    [InlineData(7200, int.MaxValue, Cap)]
    [InlineData(int.MaxValue, 1, Cap)]
    [InlineData(int.MaxValue, 21, Cap)]
    public void Calculate_Increasing_IsCappedAtThirtyDaysWithoutOverflow(int interval, int executeTimes, int expected) =>
        Assert.Equal(expected, NotifyIntervalCalculator.Calculate(true, interval, IntervalNotifyMode.Increasing, executeTimes));

    [Fact]
    public void Calculate_StandardAboveCap_IsCapped() =>
        Assert.Equal(Cap, NotifyIntervalCalculator.Calculate(true, int.MaxValue, IntervalNotifyMode.Standard, 1));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Calculate_ExecuteTimesBelowOne_Throws(int executeTimes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NotifyIntervalCalculator.Calculate(true, 60, IntervalNotifyMode.Increasing, executeTimes));

    [Fact]
    public void Calculate_Config_UsesItsFields()
    {
        var config = new ActionExecuteConfig { NeedPoll = true, NotifyInterval = 2, IntervalNotifyMode = IntervalNotifyMode.Increasing };
        Assert.Equal([2, 4, 8, 16], Enumerable.Range(1, 4).Select(n => NotifyIntervalCalculator.Calculate(config, n)));
    }

    [Theory]
    [InlineData("7200", 7200)]
    [InlineData(" 60 ", 60)]
    [InlineData("+60", 60)]
    [InlineData("-5", -5)]
    [InlineData("0", 0)]
    // Python's int() has no upper bound; beyond the int range the value saturates (and the validator refuses it).
    [InlineData("99999999999999999999", int.MaxValue)]
    [InlineData("-99999999999999999999", int.MinValue)]
    public void TryParseNotifyInterval_IntegerText_ParsesLikePythonInt(string text, int expected)
    {
        Assert.True(NotifyIntervalCalculator.TryParseNotifyInterval(text, out var seconds));
        Assert.Equal(expected, seconds);
    }

    // int() raises ValueError for these, which the seed does not catch: refused, never read as 0 ("no repeat").
    [Theory]
    [InlineData("abc")]
    [InlineData("7200.5")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void TryParseNotifyInterval_NotAnInteger_IsRefused(string? text) =>
        Assert.False(NotifyIntervalCalculator.TryParseNotifyInterval(text, out _));
}
