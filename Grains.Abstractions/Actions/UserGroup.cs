namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// A bk-monitor user group: its members (usernames, resolved to addresses by the contact directory), and optionally its
/// own notice rules per alert level and a duty rotation. How a notice resolves against a group: <c>UserGroupNotices</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.UserGroup")]
public sealed record UserGroup
{
    [Id(0)] public required string GroupId { get; init; }

    [Id(1)] public required string Name { get; init; }

    /// <summary>Who is notified when the group has no <see cref="Duty"/>; with one, the shift on duty is.</summary>
    [Id(2)] public IReadOnlyList<string> Members { get; init; } = [];

    [Id(3)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The time zone of the notice time ranges and the duty hand-overs (IANA, such as <c>Asia/Shanghai</c>).</summary>
    [Id(4)] public string TimeZone { get; init; } = "UTC";

    /// <summary>
    /// Per alert level, the notice ways of each step and the times of day notices may go out (bk-monitor's
    /// <c>alert_notice</c>/<c>action_notice</c>). A level without a rule takes the action's ways at any time.
    /// </summary>
    [Id(5)] public IReadOnlyList<GroupNoticeRule> NoticeRules { get; init; } = [];

    /// <summary>Members in shifts: "the on-call of ops" is the shift on duty at send time.</summary>
    [Id(6)] public DutyRotation? Duty { get; init; }
}

/// <summary>A user group's notice rule for one alert level.</summary>
[GenerateSerializer, Immutable, Alias("notify.GroupNoticeRule")]
public sealed record GroupNoticeRule
{
    /// <summary>1 fatal, 2 warning, 3 remind.</summary>
    [Id(0)] public int Level { get; init; }

    /// <summary>Notice ways per step (<c>abnormal</c>, <c>recovered</c>, <c>closed</c>, <c>ack</c>); the action's ways for a step override these.</summary>
    [Id(1)] public IReadOnlyDictionary<NotifyStep, IReadOnlyList<string>> Steps { get; init; } = new Dictionary<NotifyStep, IReadOnlyList<string>>();

    /// <summary>
    /// Local times of day, in the group's time zone, when notices may go out: <c>HH:mm--HH:mm</c> (bk-monitor's
    /// <c>time_range</c>, seconds optional), start included, end excluded, an end before the start crossing midnight.
    /// Empty means at any time. A notice due outside every range waits (WAITING) for the next one to open.
    /// </summary>
    [Id(2)] public IReadOnlyList<string> TimeRanges { get; init; } = [];

    public IReadOnlyList<string> WaysFor(NotifyStep step) => Steps.TryGetValue(step, out var ways) ? ways : [];
}

/// <summary>
/// A duty rotation: <see cref="Shifts"/> take turns, one hand-over at each of <see cref="HandOverTimes"/> (local times in
/// the group's time zone) on every <see cref="ShiftDays"/>-th day from <see cref="StartDate"/>, when the first shift begins
/// at the first hand-over time. Hand-overs follow the wall clock, so a daylight-saving change does not move them.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.DutyRotation")]
public sealed record DutyRotation
{
    /// <summary>In rotation order; each shift lists the usernames on duty together.</summary>
    [Id(0)] public IReadOnlyList<DutyShift> Shifts { get; init; } = [];

    /// <summary>Local times of day of the hand-overs, ascending: <c>[09:00]</c> daily, <c>[09:00, 21:00]</c> twice a day.</summary>
    [Id(1)] public IReadOnlyList<TimeOnly> HandOverTimes { get; init; } = [];

    /// <summary>Hand-overs happen every this many days: 1 daily, 7 weekly.</summary>
    [Id(2)] public int ShiftDays { get; init; } = 1;

    /// <summary>The local date on which the first shift takes over, at the first hand-over time.</summary>
    [Id(3)] public DateOnly StartDate { get; init; }
}

[GenerateSerializer, Immutable, Alias("notify.DutyShift")]
public sealed record DutyShift
{
    [Id(0)] public IReadOnlyList<string> Members { get; init; } = [];
}
