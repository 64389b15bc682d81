using Google.Protobuf.WellKnownTypes;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Actions;

/// <summary>notify.v1 user group messages (AdminService) ↔ the contract's <see cref="UserGroup"/>.</summary>
public static class UserGroupProtoMapper
{
    public static UserGroup ToUserGroup(Api.V1.PutUserGroupRequest request)
    {
        var errors = new List<FieldError>();
        var group = new UserGroup
        {
            GroupId = request.GroupId,
            Name = request.Name,
            Members = [.. request.Members],
            TimeZone = request.TimeZone,
            NoticeRules = request.NoticeRules.Select((rule, i) => new GroupNoticeRule
            {
                Level = rule.Level,
                Steps = UserGroupFields.Steps(rule.Steps.Select(s => (s.Key, (IReadOnlyList<string>)[.. s.Value.Ways])), $"noticeRules[{i}].steps", errors),
                TimeRanges = [.. rule.TimeRanges],
            }).ToArray(),
            Duty = request.Duty is not { } duty ? null : new DutyRotation
            {
                Shifts = duty.Shifts.Select(s => new DutyShift { Members = [.. s.Members] }).ToArray(),
                HandOverTimes = UserGroupFields.HandOverTimes([.. duty.HandOverTimes], errors),
                ShiftDays = duty.ShiftDays == 0 ? 1 : duty.ShiftDays,
                StartDate = UserGroupFields.StartDate(duty.StartDate, errors),
            },
        };
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : group;
    }

    public static Api.V1.UserGroup ToProto(UserGroup group)
    {
        var proto = new Api.V1.UserGroup
        {
            GroupId = group.GroupId,
            Name = group.Name,
            UpdatedAt = Timestamp.FromDateTimeOffset(group.UpdatedAt),
            TimeZone = group.TimeZone,
        };
        proto.Members.Add(group.Members);
        foreach (var rule in group.NoticeRules)
        {
            var protoRule = new Api.V1.GroupNoticeRule { Level = rule.Level };
            protoRule.TimeRanges.Add(rule.TimeRanges);
            foreach (var (step, ways) in rule.Steps)
            {
                var noticeWays = new Api.V1.NoticeWays();
                noticeWays.Ways.Add(ways);
                protoRule.Steps.Add(step.WireName(), noticeWays);
            }

            proto.NoticeRules.Add(protoRule);
        }

        if (group.Duty is { } duty)
        {
            proto.Duty = new Api.V1.DutyRotation { ShiftDays = duty.ShiftDays, StartDate = UserGroupFields.Format(duty.StartDate) };
            proto.Duty.HandOverTimes.Add(duty.HandOverTimes.Select(UserGroupFields.Format));
            foreach (var shift in duty.Shifts)
            {
                var protoShift = new Api.V1.DutyShift();
                protoShift.Members.Add(shift.Members);
                proto.Duty.Shifts.Add(protoShift);
            }
        }

        return proto;
    }
}
