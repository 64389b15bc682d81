using System.Globalization;
using System.Numerics;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Grains.Scheduling;

/// <summary>
/// NotifyIntervalCalculator is bk-monitor's <c>calc_action_interval</c>: the seconds between a notice run and the next
/// repeat. <c>need_poll == false → 0</c>; STANDARD → <c>notify_interval</c>; INCREASING →
/// <c>int(notify_interval × 2^(execute_times − 1))</c>, <c>execute_times</c> counting from 1. A result of 0 means
/// "no repeat" (the checker's <c>notify_interval &lt;= 0</c> test), so negative intervals also give 0.
/// Overflow: bk-monitor doubles without bound; here every result is capped at <see cref="MaxIntervalSeconds"/> (30 days)
/// and the exponent is never used past the point where the cap is certain, so nothing overflows.
/// </summary>
public static class NotifyIntervalCalculator
{
    /// <summary>The longest interval ever returned: 30 days.</summary>
    public const int MaxIntervalSeconds = 30 * 24 * 60 * 60;

    // Any positive interval shifted this far exceeds the cap, so larger exponents need no arithmetic.
    private const int CapCertainExponent = 22;

    public static int Calculate(ActionExecuteConfig config, int executeTimes) =>
        Calculate(config.NeedPoll, config.NotifyInterval, config.IntervalNotifyMode, executeTimes);

    public static int Calculate(bool needPoll, int notifyInterval, IntervalNotifyMode mode, int executeTimes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(executeTimes, 1);
        if (!needPoll || notifyInterval <= 0)
        {
            return 0;
        }

        var exponent = mode == IntervalNotifyMode.Increasing ? executeTimes - 1 : 0;
        if (exponent >= CapCertainExponent)
        {
            return MaxIntervalSeconds;
        }

        return (int)Math.Min((long)notifyInterval << exponent, MaxIntervalSeconds);
    }

    /// <summary>
    /// <c>int(notify_interval)</c> for a configuration value that arrives as text (bk-monitor configs hold numbers and
    /// numeric strings): whitespace and a sign are allowed, as Python's <c>int()</c> allows them. Text that is not an
    /// integer (<c>""</c>, <c>"abc"</c>, <c>"7200.5"</c>, <c>"1e3"</c>) is refused: <c>int()</c> raises ValueError for it,
    /// which the seed's <c>calc_action_interval</c> does not catch (it falls back to 0 only for a missing value). Values
    /// beyond the int range saturate, so the validator reports them as out of range.
    /// </summary>
    public static bool TryParseNotifyInterval(string? text, out int seconds)
    {
        const NumberStyles integer = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign;
        if (BigInteger.TryParse(text, integer, CultureInfo.InvariantCulture, out var value))
        {
            seconds = (int)BigInteger.Clamp(value, int.MinValue, int.MaxValue);
            return true;
        }

        seconds = 0;
        return false;
    }
}
