using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// <c>PUT /op/notify/usergroups/{groupId}</c>; the id is the path's:
/// <code>
/// {"name":"Ops","members":["alice","bob"],"timeZone":"Asia/Shanghai",
///  "noticeRules":[{"level":1,"steps":{"abnormal":["voice","sms"]},"timeRanges":["09:00--18:00"]}],
///  "duty":{"shifts":[["ann"],["ben","cat"]],"handOverTimes":["09:00"],"shiftDays":1,"startDate":"2026-11-23"}}
/// </code>
/// </summary>
public sealed class UserGroupBody : RestBody
{
    public string? Name { get; init; }

    public List<string?>? Members { get; init; }

    public string? TimeZone { get; init; }

    public List<GroupNoticeRuleBody?>? NoticeRules { get; init; }

    public DutyRotationBody? Duty { get; init; }

    public UserGroup ToUserGroup(string groupId)
    {
        var errors = new List<FieldError>();
        var group = new UserGroup
        {
            GroupId = groupId,
            Name = Name ?? "",
            Members = (Members ?? []).Select(m => m ?? "").ToArray(),
            TimeZone = TimeZone ?? "",
            NoticeRules = (NoticeRules ?? []).Select((rule, i) => ToRule(rule, $"noticeRules[{i}]", errors)).ToArray(),
            Duty = Duty is null ? null : ToDuty(Duty, errors),
        };
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : group;
    }

    private static GroupNoticeRule ToRule(GroupNoticeRuleBody? rule, string field, List<FieldError> errors)
    {
        if (rule is null)
        {
            errors.Add(new FieldError(field, "must be a rule object"));
            return new GroupNoticeRule();
        }

        ActionBodyMapper.Unknown(errors, field, rule);
        return new GroupNoticeRule
        {
            Level = rule.Level ?? 0,
            Steps = UserGroupFields.Steps((rule.Steps ?? []).Select(s => (s.Key, (IReadOnlyList<string>)(s.Value ?? []).Select(w => w ?? "").ToArray())), $"{field}.steps", errors),
            TimeRanges = (rule.TimeRanges ?? []).Select(r => r ?? "").ToArray(),
        };
    }

    private static DutyRotation ToDuty(DutyRotationBody duty, List<FieldError> errors)
    {
        ActionBodyMapper.Unknown(errors, "duty", duty);
        return new DutyRotation
        {
            Shifts = (duty.Shifts ?? []).Select(shift => new DutyShift { Members = (shift ?? []).Select(m => m ?? "").ToArray() }).ToArray(),
            HandOverTimes = UserGroupFields.HandOverTimes((duty.HandOverTimes ?? []).Select(t => t ?? "").ToArray(), errors),
            ShiftDays = duty.ShiftDays ?? 1,
            StartDate = UserGroupFields.StartDate(duty.StartDate, errors),
        };
    }
}

public sealed class GroupNoticeRuleBody : RestBody
{
    /// <summary>1 fatal, 2 warning, 3 remind.</summary>
    public int? Level { get; init; }

    /// <summary>Step name → notice ways.</summary>
    public Dictionary<string, List<string?>?>? Steps { get; init; }

    /// <summary><c>HH:mm--HH:mm</c> in the group's time zone.</summary>
    public List<string?>? TimeRanges { get; init; }
}

public sealed class DutyRotationBody : RestBody
{
    /// <summary>Each shift: the usernames on duty together.</summary>
    public List<List<string?>?>? Shifts { get; init; }

    /// <summary><c>HH:mm</c> local times of day.</summary>
    public List<string?>? HandOverTimes { get; init; }

    public int? ShiftDays { get; init; }

    /// <summary><c>yyyy-MM-dd</c>, the local date the first shift takes over.</summary>
    public string? StartDate { get; init; }
}

/// <summary>A user group as REST returns it, in the body's shape.</summary>
public sealed record UserGroupView(
    string GroupId,
    string Name,
    IReadOnlyList<string> Members,
    string TimeZone,
    IReadOnlyList<GroupNoticeRuleView> NoticeRules,
    DutyRotationView? Duty,
    DateTimeOffset UpdatedAt)
{
    public static UserGroupView From(UserGroup group) => new(
        group.GroupId,
        group.Name,
        group.Members,
        group.TimeZone,
        group.NoticeRules.Select(r => new GroupNoticeRuleView(r.Level, r.Steps.ToDictionary(s => s.Key.WireName(), s => s.Value), r.TimeRanges)).ToArray(),
        group.Duty is { } duty
            ? new DutyRotationView(duty.Shifts.Select(s => s.Members).ToArray(), duty.HandOverTimes.Select(UserGroupFields.Format).ToArray(), duty.ShiftDays, UserGroupFields.Format(duty.StartDate))
            : null,
        group.UpdatedAt);
}

public sealed record GroupNoticeRuleView(int Level, IReadOnlyDictionary<string, IReadOnlyList<string>> Steps, IReadOnlyList<string> TimeRanges);

public sealed record DutyRotationView(IReadOnlyList<IReadOnlyList<string>> Shifts, IReadOnlyList<string> HandOverTimes, int ShiftDays, string StartDate);
