using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.UnitTests.Actions;

public sealed class ActionRequestValidatorTests
{
    private static readonly Dictionary<string, (Func<CreateActionRequest, CreateActionRequest> Change, string Field)> BadRequests = new()
    {
        ["missing action id"] = (r => r with { ActionId = " " }, "actionId"),
        ["action id with a plus"] = (r => r with { ActionId = "a+1" }, "actionId"),
        ["action id too long"] = (r => r with { ActionId = new string('a', 65) }, "actionId"),
        ["missing alert id"] = (r => r with { Alert = r.Alert with { Id = "" } }, "alert.id"),
        ["missing alert name"] = (r => r with { Alert = r.Alert with { Name = "" } }, "alert.name"),
        ["alert name with a line break"] = (r => r with { Alert = r.Alert with { Name = "CPU\nhigh" } }, "alert.name"),
        ["level 0"] = (r => r with { Alert = r.Alert with { Level = 0 } }, "alert.level"),
        ["level 4"] = (r => r with { Alert = r.Alert with { Level = 4 } }, "alert.level"),
        ["missing begin time"] = (r => r with { Alert = r.Alert with { BeginTime = default } }, "alert.beginTime"),
        ["recovered alert"] = (r => r with { Alert = r.Alert with { Status = AlertStatus.Recovered } }, "alert.status"),
        ["unknown alert status"] = (r => r with { Alert = r.Alert with { Status = (AlertStatus)9 } }, "alert.status"),
        ["content too long"] = (r => r with { Alert = r.Alert with { Content = new string('x', 4001) } }, "alert.content"),
        ["dimension value with a control character"] = (r => r with { Alert = r.Alert with { Dimensions = new Dictionary<string, string> { ["host"] = "h\u00071" } } }, "alert.dimensions.host"),
        ["no user groups"] = (r => r with { NotifyConfig = r.NotifyConfig with { UserGroups = [] } }, "notifyConfig.userGroups"),
        ["bad user group id"] = (r => r with { NotifyConfig = r.NotifyConfig with { UserGroups = ["ops", "o ps"] } }, "notifyConfig.userGroups[1]"),
        ["user group twice"] = (r => r with { NotifyConfig = r.NotifyConfig with { UserGroups = ["ops", "ops"] } }, "notifyConfig.userGroups[1]"),
        ["too many user groups"] = (r => r with { NotifyConfig = r.NotifyConfig with { UserGroups = Enumerable.Range(0, 11).Select(i => $"g{i}").ToArray() } }, "notifyConfig.userGroups"),
        ["unknown notice way"] = (r => r.WithSteps(NotifyStep.Abnormal, "mail", "telegram"), "notifyConfig.steps.abnormal[1]"),
        ["robot without chat id"] = (r => r.WithSteps(NotifyStep.Ack, "wxwork-bot"), "notifyConfig.steps.ack[0]"),
        ["way twice"] = (r => r.WithSteps(NotifyStep.Recovered, "mail", "MAIL"), "notifyConfig.steps.recovered[1]"),
        ["execute step"] = (r => r.WithSteps(NotifyStep.Execute, "mail"), "notifyConfig.steps.execute"),
        ["unknown step"] = (r => r.WithSteps((NotifyStep)42, "mail"), "notifyConfig.steps"),
        ["negative interval"] = (r => r.WithExecute(e => e with { NotifyInterval = -1 }), "executeConfig.notifyInterval"),
        ["interval over 7 days"] = (r => r.WithExecute(e => e with { NotifyInterval = ActionLimits.MaxNotifyIntervalSeconds + 1 }), "executeConfig.notifyInterval"),
        ["unknown mode"] = (r => r.WithExecute(e => e with { IntervalNotifyMode = (IntervalNotifyMode)7 }), "executeConfig.intervalNotifyMode"),
        ["negative retries"] = (r => r.WithRetry(f => f with { MaxRetryTimes = -1 }), "executeConfig.failedRetry.maxRetryTimes"),
        ["too many retries"] = (r => r.WithRetry(f => f with { MaxRetryTimes = 11 }), "executeConfig.failedRetry.maxRetryTimes"),
        ["zero retry interval"] = (r => r.WithRetry(f => f with { RetryInterval = 0 }), "executeConfig.failedRetry.retryInterval"),
        ["negative timeout"] = (r => r.WithRetry(f => f with { Timeout = -5 }), "executeConfig.failedRetry.timeout"),
        ["timeout over a day"] = (r => r.WithRetry(f => f with { Timeout = 86_401 }), "executeConfig.failedRetry.timeout"),
        ["negative delay"] = (r => r.WithExecute(e => e with { Delay = -1 }), "executeConfig.delay"),
        ["delay over a day"] = (r => r.WithExecute(e => e with { Delay = ActionLimits.MaxDelaySeconds + 1 }), "executeConfig.delay"),
        ["negative frequency limit"] = (r => r with { NotifyConfig = r.NotifyConfig with { FrequencyLimit = -1 } }, "notifyConfig.frequencyLimit"),
        ["frequency limit over 7 days"] = (r => r with { NotifyConfig = r.NotifyConfig with { FrequencyLimit = 7 * 24 * 60 + 1 } }, "notifyConfig.frequencyLimit"),
        ["negative event count"] = (r => r with { Alert = r.Alert with { EventCount = -1 } }, "alert.eventCount"),
    };

    public static TheoryData<string> BadRequestNames() => new(BadRequests.Keys);

    [Fact]
    public void Validate_DesignExample_IsValid() =>
        Assert.Empty(ActionRequestValidator.Validate(ActionRequestValidator.Normalize(ActionRequests.Design())));

    [Theory]
    [MemberData(nameof(BadRequestNames))]
    public void Validate_BadField_NamesTheField(string name)
    {
        var (change, field) = BadRequests[name];
        var errors = ActionRequestValidator.Validate(ActionRequestValidator.Normalize(change(ActionRequests.Design())));
        Assert.Equal([field], errors.Select(e => e.Field));
    }

    [Fact]
    public void EnsureValid_SeveralBadFields_ListsEveryOne()
    {
        var request = ActionRequests.Design() with { ActionId = "" };
        request = request.WithSteps(NotifyStep.Abnormal, "telegram").WithExecute(e => e with { NotifyInterval = -1 });
        var error = Assert.Throws<NotifyRequestException>(() => ActionRequestValidator.EnsureValid(request));
        Assert.Equal(RequestErrorKind.Invalid, error.Kind);
        Assert.Equal(["actionId", "notifyConfig.steps.abnormal[0]", "executeConfig.notifyInterval"], error.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Normalize_NullCollectionsAndPadding_BecomeEmptyAndTrimmed()
    {
        var request = ActionRequests.Design() with
        {
            ActionId = " a1 ",
            Alert = ActionRequests.Design().Alert with { Dimensions = null! },
            NotifyConfig = new ActionNotifyConfig { UserGroups = [" ops "], Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = [" mail "] } },
            ExecuteConfig = null!,
        };
        var normalized = ActionRequestValidator.EnsureValid(request);
        Assert.Equal("a1", normalized.ActionId);
        Assert.Empty(normalized.Alert.Dimensions);
        Assert.Equal(["ops"], normalized.NotifyConfig.UserGroups);
        Assert.Equal(["mail"], normalized.NotifyConfig.WaysFor(NotifyStep.Abnormal));
        Assert.True(normalized.ExecuteConfig.NeedPoll);
    }

    [Fact]
    public void Equivalent_SameBodyBuiltTwice_IsTrue() =>
        Assert.True(ActionRequestValidator.Equivalent(
            ActionRequestValidator.Normalize(ActionRequests.Design()),
            ActionRequestValidator.Normalize(ActionRequests.Design())));

    [Theory]
    [InlineData("dimension")]
    [InlineData("group")]
    [InlineData("way")]
    [InlineData("interval")]
    [InlineData("retry")]
    [InlineData("name")]
    public void Equivalent_AnyFieldDiffers_IsFalse(string what)
    {
        var design = ActionRequests.Design();
        var other = what switch
        {
            "dimension" => design with { Alert = design.Alert with { Dimensions = new Dictionary<string, string> { ["host"] = "h2" } } },
            "group" => design with { NotifyConfig = design.NotifyConfig with { UserGroups = ["ops", "dba"] } },
            "way" => design.WithSteps(NotifyStep.Ack, "sms"),
            "interval" => design.WithExecute(e => e with { NotifyInterval = 60 }),
            "retry" => design.WithRetry(f => f with { MaxRetryTimes = 3 }),
            _ => design with { Alert = design.Alert with { Name = "CPU very high" } },
        };
        Assert.False(ActionRequestValidator.Equivalent(ActionRequestValidator.Normalize(design), ActionRequestValidator.Normalize(other)));
    }

    [Fact]
    public void EnsureValid_UserGroup_TrimsAndKeepsEachMemberOnce()
    {
        var group = ActionRequestValidator.EnsureValid(new UserGroup { GroupId = " ops ", Name = " Ops ", Members = ["alice", " Bob ", "ALICE", "bob"] });
        Assert.Equal(("ops", "Ops"), (group.GroupId, group.Name));
        Assert.Equal(["alice", "Bob"], group.Members);
    }

    [Theory]
    [InlineData("", "Ops", "alice", "groupId")]
    [InlineData("o+ps", "Ops", "alice", "groupId")]
    [InlineData("ops", "", "alice", "name")]
    [InlineData("ops", "Ops", "", "members")]
    [InlineData("ops", "Ops", "alice,bad name", "members[1]")]
    public void Validate_BadUserGroup_NamesTheField(string groupId, string name, string members, string field)
    {
        var group = ActionRequestValidator.Normalize(new UserGroup
        {
            GroupId = groupId,
            Name = name,
            Members = members.Length == 0 ? [] : members.Split(','),
        });
        Assert.Equal([field], ActionRequestValidator.Validate(group).Select(e => e.Field));
    }

    [Fact]
    public void Validate_UserGroupOverTheMemberLimit_IsRefused()
    {
        var group = new UserGroup { GroupId = "ops", Name = "Ops", Members = Enumerable.Range(0, ActionLimits.MaxGroupMembers + 1).Select(i => $"u{i}").ToArray() };
        Assert.Equal(["members"], ActionRequestValidator.Validate(group).Select(e => e.Field));
    }

    private static readonly UserGroup RuledGroup = new()
    {
        GroupId = "ops",
        Name = "Ops",
        TimeZone = "Asia/Shanghai",
        NoticeRules = [new GroupNoticeRule { Level = 1, Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["voice"] }, TimeRanges = ["09:00--18:00"] }],
        Duty = new DutyRotation
        {
            Shifts = [new DutyShift { Members = ["ann"] }, new DutyShift { Members = ["ben"] }],
            HandOverTimes = [new TimeOnly(9, 0)],
            StartDate = new DateOnly(2026, 11, 23),
        },
    };

    private static readonly Dictionary<string, (Func<UserGroup, UserGroup> Change, string Field)> BadGroups = new()
    {
        ["unknown time zone"] = (g => g with { TimeZone = "Mars/Olympus" }, "timeZone"),
        ["rule level 0"] = (g => g with { NoticeRules = [g.NoticeRules[0] with { Level = 0 }] }, "noticeRules[0].level"),
        ["two rules for a level"] = (g => g with { NoticeRules = [g.NoticeRules[0], g.NoticeRules[0]] }, "noticeRules[1].level"),
        ["rule with an execute step"] = (g => g with { NoticeRules = [g.NoticeRules[0] with { Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Execute] = ["mail"] } }] }, "noticeRules[0].steps"),
        ["rule with an unknown way"] = (g => g with { NoticeRules = [g.NoticeRules[0] with { Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Ack] = ["fax"] } }] }, "noticeRules[0].steps.ack[0]"),
        ["bad time range"] = (g => g with { NoticeRules = [g.NoticeRules[0] with { TimeRanges = ["9am-6pm"] }] }, "noticeRules[0].timeRanges[0]"),
        ["no shifts"] = (g => g with { Duty = g.Duty! with { Shifts = [] } }, "duty.shifts"),
        ["empty shift"] = (g => g with { Duty = g.Duty! with { Shifts = [new DutyShift()] } }, "duty.shifts[0].members"),
        ["bad shift member"] = (g => g with { Duty = g.Duty! with { Shifts = [new DutyShift { Members = ["a b"] }] } }, "duty.shifts[0].members[0]"),
        ["no hand-over"] = (g => g with { Duty = g.Duty! with { HandOverTimes = [] } }, "duty.handOverTimes"),
        ["hand-overs out of order"] = (g => g with { Duty = g.Duty! with { HandOverTimes = [new TimeOnly(21, 0), new TimeOnly(9, 0)] } }, "duty.handOverTimes"),
        ["zero shift days"] = (g => g with { Duty = g.Duty! with { ShiftDays = 0 } }, "duty.shiftDays"),
        ["no start date"] = (g => g with { Duty = g.Duty! with { StartDate = default } }, "duty.startDate"),
        ["no members and no duty"] = (g => g with { Duty = null }, "members"),
    };

    public static TheoryData<string> BadGroupNames() => new(BadGroups.Keys);

    [Fact]
    public void Validate_GroupWithRulesAndDutyButNoMembers_IsValid() =>
        Assert.Empty(ActionRequestValidator.Validate(ActionRequestValidator.Normalize(RuledGroup)));

    [Theory]
    [MemberData(nameof(BadGroupNames))]
    public void Validate_BadRuleOrDuty_NamesTheField(string name)
    {
        var (change, field) = BadGroups[name];
        Assert.Equal([field], ActionRequestValidator.Validate(ActionRequestValidator.Normalize(change(RuledGroup))).Select(e => e.Field));
    }
}
