using System.Globalization;

namespace Notify.Grains.Scheduling;

/// <summary>
/// Which notice run a wake-up (a reminder tick or a timer) is for: the run's <c>executeTimes</c> and retry number. It is
/// the reminder's name (<c>wake:&lt;executeTimes&gt;:&lt;retryTimes&gt;</c>), so every tick carries it. This is bk-monitor's
/// <c>is_valid_handle</c>: the counters only grow, and a tick for any run other than the one the instance waits for is
/// stale — a duplicate tick or a leftover reminder — and is ignored.
/// </summary>
public readonly record struct WakeTicket(int ExecuteTimes, int RetryTimes) : IComparable<WakeTicket>
{
    private const string Prefix = "wake:";

    public string ReminderName => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{ExecuteTimes}:{RetryTimes}");

    public static bool TryParseReminderName(string? name, out WakeTicket ticket)
    {
        ticket = default;
        if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = name[Prefix.Length..].Split(':');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var executeTimes)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var retryTimes))
        {
            ticket = new WakeTicket(executeTimes, retryTimes);
            return true;
        }

        return false;
    }

    public int CompareTo(WakeTicket other) =>
        ExecuteTimes != other.ExecuteTimes ? ExecuteTimes.CompareTo(other.ExecuteTimes) : RetryTimes.CompareTo(other.RetryTimes);

    public static bool operator <(WakeTicket left, WakeTicket right) => left.CompareTo(right) < 0;

    public static bool operator >(WakeTicket left, WakeTicket right) => left.CompareTo(right) > 0;

    public static bool operator <=(WakeTicket left, WakeTicket right) => left.CompareTo(right) <= 0;

    public static bool operator >=(WakeTicket left, WakeTicket right) => left.CompareTo(right) >= 0;

    public override string ToString() => ReminderName;
}
