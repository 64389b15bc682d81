using Notify.Grains.Abstractions.Actions;

namespace Notify.Grains.Actions;

/// <summary>What one user group makes of a notice: the ways to use, who receives them, and whether it may go out now.</summary>
/// <param name="Ways">The notice ways for this group: the action's for the step when it gives any, else the group's rule's.</param>
/// <param name="Receivers">The usernames of the shift on duty, or the members when the group has no rotation.</param>
/// <param name="OpensAt">Null when a notice may go out now; otherwise when the group's next notice time range opens.</param>
public sealed record GroupNotice(IReadOnlyList<string> Ways, IReadOnlyList<string> Receivers, DateTimeOffset? OpensAt)
{
    public bool IsOpen => OpensAt is null;
}

/// <summary>
/// UserGroupNotices resolves a user group for one notice, as a pure function of (group, alert level, step, time):
/// <list type="number">
/// <item>The group's rule is the one for the alert's level; a level without a rule has no group ways and no time ranges.</item>
/// <item>Ways: the action's ways for the step when it gives any (the action overrides the group), else the rule's.</item>
/// <item>Time ranges (the rule's, in the group's time zone): the notice may go out while the local time is inside one;
/// otherwise it waits until the next one opens. No ranges means at any time.</item>
/// <item>Receivers: with a duty rotation, the shift on duty at that instant; otherwise the members.</item>
/// </list>
/// </summary>
public static class UserGroupNotices
{
    public static GroupNotice Resolve(UserGroup group, int level, NotifyStep step, IReadOnlyList<string> actionWays, DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(group.TimeZone);
        var rule = group.NoticeRules.FirstOrDefault(r => r.Level == level);
        var ways = actionWays.Count > 0 ? actionWays : rule?.WaysFor(step) ?? [];
        var receivers = group.Duty is { } duty ? OnDuty(duty, zone, at) : group.Members;
        var ranges = (rule?.TimeRanges ?? []).Select(NoticeTimeRange.Parse).ToList();
        return new GroupNotice(ways, receivers, OpensAt(ranges, zone, at));
    }

    /// <summary>
    /// The shift on duty at <paramref name="at"/>: every hand-over passes duty to the next shift, round the list. Counted on
    /// the group's wall clock from the first hand-over on the start date, so an instant before it belongs to the shifts
    /// before the first, counted backwards.
    /// </summary>
    public static IReadOnlyList<string> OnDuty(DutyRotation duty, TimeZoneInfo zone, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var perPeriod = duty.HandOverTimes.Count;
        var days = local.Date.Subtract(duty.StartDate.ToDateTime(TimeOnly.MinValue)).Days;
        var period = FloorDiv(days, duty.ShiftDays);
        var firstDayOfPeriod = days - period * duty.ShiftDays == 0;
        var passedToday = firstDayOfPeriod ? duty.HandOverTimes.Count(t => t <= TimeOnly.FromDateTime(local)) : perPeriod;
        var handOvers = (long)period * perPeriod + passedToday - 1;
        var shift = (int)(((handOvers % duty.Shifts.Count) + duty.Shifts.Count) % duty.Shifts.Count);
        return duty.Shifts[shift].Members;
    }

    /// <summary>Null when <paramref name="at"/> falls in one of <paramref name="ranges"/> (or there are none); else when the next one opens.</summary>
    public static DateTimeOffset? OpensAt(IReadOnlyList<NoticeTimeRange> ranges, TimeZoneInfo zone, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        if (ranges.Count == 0 || ranges.Any(r => r.Contains(TimeOnly.FromDateTime(local.DateTime))))
        {
            return null;
        }

        // The next start on the wall clock: today's or tomorrow's (a start in a daylight-saving gap opens when the gap ends).
        return Enumerable.Range(0, 2)
            .SelectMany(day => ranges.Select(r => local.Date.AddDays(day) + r.Start.ToTimeSpan()))
            .Select(start => ToInstant(start, zone))
            .Where(start => start > at)
            .Min();
    }

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static int FloorDiv(int value, int divisor) => value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}
