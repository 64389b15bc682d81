using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

/// <summary><see cref="UserGroupNotices"/>: a pure function of (group, alert level, step, time), table-tested.</summary>
public sealed class UserGroupNoticesTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static UserGroup Ops(Func<UserGroup, UserGroup>? change = null) => (change ?? (g => g))(new UserGroup
    {
        GroupId = "ops",
        Name = "Ops",
        Members = ["alice", "bob"],
        TimeZone = "Asia/Shanghai",
        NoticeRules =
        [
            new GroupNoticeRule
            {
                Level = 1,
                Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["voice", "sms"], [NotifyStep.Recovered] = ["sms"] },
            },
            new GroupNoticeRule
            {
                Level = 2,
                Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["mail"] },
                // Shanghai office hours: 01:00-10:00 UTC.
                TimeRanges = ["09:00--18:00"],
            },
        ],
    });

    private static DutyRotation Rotation(string handOvers = "09:00", int shiftDays = 1) => new()
    {
        Shifts = [new DutyShift { Members = ["ann"] }, new DutyShift { Members = ["ben"] }, new DutyShift { Members = ["cat", "dan"] }],
        HandOverTimes = handOvers.Split(',').Select(TimeOnly.Parse).ToArray(),
        ShiftDays = shiftDays,
        StartDate = new DateOnly(2026, 11, 23),
    };

    // level, step, action ways ("" = none), UTC hour on Monday → ways, open?
    [Theory]
    [InlineData(1, NotifyStep.Abnormal, "", 3, "voice,sms", true)]
    [InlineData(1, NotifyStep.Recovered, "", 3, "sms", true)]
    [InlineData(1, NotifyStep.Ack, "", 3, "", true)]
    // The action's own ways for the step override the group's.
    [InlineData(1, NotifyStep.Abnormal, "rtx", 3, "rtx", true)]
    [InlineData(3, NotifyStep.Abnormal, "rtx", 3, "rtx", true)]
    // A level without a rule: no group ways, no time ranges.
    [InlineData(3, NotifyStep.Abnormal, "", 3, "", true)]
    // Level 2's range is 09:00-18:00 Shanghai = 01:00-10:00 UTC (start included, end excluded), for the action's ways too.
    [InlineData(2, NotifyStep.Abnormal, "", 0, "mail", false)]
    [InlineData(2, NotifyStep.Abnormal, "", 1, "mail", true)]
    [InlineData(2, NotifyStep.Abnormal, "", 9, "mail", true)]
    [InlineData(2, NotifyStep.Abnormal, "", 10, "mail", false)]
    [InlineData(2, NotifyStep.Abnormal, "rtx", 12, "rtx", false)]
    public void Resolve_LevelStepAndTime_GiveTheWaysAndWhetherItIsOpen(int level, NotifyStep step, string actionWays, int utcHour, string ways, bool open)
    {
        var notice = UserGroupNotices.Resolve(Ops(), level, step, Split(actionWays), Monday.AddHours(utcHour));
        Assert.Equal(Split(ways), notice.Ways);
        Assert.Equal(open, notice.IsOpen);
        Assert.Equal(["alice", "bob"], notice.Receivers);
    }

    [Theory]
    // Closed before the range: opens at 09:00 Shanghai the same local day (01:00 UTC).
    [InlineData("2026-11-23T00:30:00Z", "2026-11-23T01:00:00Z")]
    // Closed after the range: opens at 09:00 Shanghai the next local day.
    [InlineData("2026-11-23T10:00:00Z", "2026-11-24T01:00:00Z")]
    // 23:30 UTC is already the next local day (07:30 Shanghai): opens 01:00 UTC the next UTC day.
    [InlineData("2026-11-23T23:30:00Z", "2026-11-24T01:00:00Z")]
    public void Resolve_OutsideTheTimeRange_OpensAtTheNextStart(string at, string opens) =>
        Assert.Equal(DateTimeOffset.Parse(opens), UserGroupNotices.Resolve(Ops(), 2, NotifyStep.Abnormal, [], DateTimeOffset.Parse(at)).OpensAt);

    [Theory]
    [InlineData("22:00--06:00", "23:30", true)]
    [InlineData("22:00--06:00", "05:59", true)]
    [InlineData("22:00--06:00", "06:00", false)]
    [InlineData("22:00--06:00", "12:00", false)]
    [InlineData("00:00:00--23:59:59", "12:00", true)]
    [InlineData("00:00--00:00", "03:00", true)]
    public void TimeRange_Contains_CrossesMidnightWhenTheEndIsBeforeTheStart(string range, string time, bool inside) =>
        Assert.Equal(inside, NoticeTimeRange.Parse(range).Contains(TimeOnly.Parse(time)));

    // A daily 09:00 hand-over in Shanghai is 01:00 UTC: the duty changes at that instant, on the UTC day before the local one.
    [Theory]
    [InlineData("2026-11-23T00:59:59Z", "cat,dan")]
    [InlineData("2026-11-23T01:00:00Z", "ann")]
    [InlineData("2026-11-23T23:59:59Z", "ann")]
    [InlineData("2026-11-24T00:59:59Z", "ann")]
    [InlineData("2026-11-24T01:00:00Z", "ben")]
    [InlineData("2026-11-25T01:00:00Z", "cat,dan")]
    [InlineData("2026-11-26T01:00:00Z", "ann")]
    // Before the start date the rotation runs backwards.
    [InlineData("2026-11-21T12:00:00Z", "ben")]
    public void OnDuty_DailyHandOverInShanghai_HandsOverAt0100Utc(string at, string onDuty) =>
        Assert.Equal(Split(onDuty), UserGroupNotices.OnDuty(Rotation(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), DateTimeOffset.Parse(at)));

    // 20:00 in New York (UTC-5 in November) is 01:00 UTC on the next UTC day: the hand-over crosses the UTC day boundary.
    [Theory]
    [InlineData("2026-11-24T00:59:59Z", "cat,dan")]
    [InlineData("2026-11-24T01:00:00Z", "ann")]
    [InlineData("2026-11-25T00:59:59Z", "ann")]
    [InlineData("2026-11-25T01:00:00Z", "ben")]
    public void OnDuty_EveningHandOverInNewYork_CrossesTheUtcDay(string at, string onDuty) =>
        Assert.Equal(Split(onDuty), UserGroupNotices.OnDuty(Rotation("20:00"), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), DateTimeOffset.Parse(at)));

    // Hand-overs follow the wall clock: 09:00 New York is 14:00 UTC before daylight saving starts (2027-03-14) and 13:00 UTC after.
    [Theory]
    [InlineData("2027-03-13T13:59:59Z", false)]
    [InlineData("2027-03-13T14:00:00Z", true)]
    [InlineData("2027-03-14T12:59:59Z", false)]
    [InlineData("2027-03-14T13:00:00Z", true)]
    public void OnDuty_AcrossDaylightSaving_HandsOverAtTheSameLocalTime(string at, bool handedOverToday)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var instant = DateTimeOffset.Parse(at);
        var earlier = UserGroupNotices.OnDuty(Rotation(), zone, instant.AddHours(-12));
        Assert.Equal(handedOverToday, !UserGroupNotices.OnDuty(Rotation(), zone, instant).SequenceEqual(earlier));
    }

    [Theory]
    // Two hand-overs a day, 09:00 and 21:00 Shanghai (01:00 and 13:00 UTC).
    [InlineData("09:00,21:00", 1, "2026-11-23T01:00:00Z", "ann")]
    [InlineData("09:00,21:00", 1, "2026-11-23T12:59:59Z", "ann")]
    [InlineData("09:00,21:00", 1, "2026-11-23T13:00:00Z", "ben")]
    [InlineData("09:00,21:00", 1, "2026-11-24T01:00:00Z", "cat,dan")]
    // Weekly hand-overs on the start date's weekday.
    [InlineData("09:00", 7, "2026-11-29T12:00:00Z", "ann")]
    [InlineData("09:00", 7, "2026-11-30T00:59:59Z", "ann")]
    [InlineData("09:00", 7, "2026-11-30T01:00:00Z", "ben")]
    public void OnDuty_SeveralHandOversOrLongerShifts_CountEachHandOver(string handOvers, int shiftDays, string at, string onDuty) =>
        Assert.Equal(Split(onDuty), UserGroupNotices.OnDuty(Rotation(handOvers, shiftDays), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), DateTimeOffset.Parse(at)));

    [Fact]
    public void Resolve_GroupWithDuty_ReceiversAreTheShiftOnDutyNotTheMembers()
    {
        var group = Ops(g => g with { Duty = Rotation() });
        Assert.Equal(["ben"], UserGroupNotices.Resolve(group, 1, NotifyStep.Abnormal, [], DateTimeOffset.Parse("2026-11-24T02:00:00Z")).Receivers);
    }

    [Fact]
    public void Audience_TwoGroups_EachWayReachesTheOpenGroupsThatUseIt()
    {
        var config = new ActionNotifyConfig { UserGroups = ["ops", "dev"] };
        var dev = new UserGroup
        {
            GroupId = "dev",
            Name = "Dev",
            Members = ["erin"],
            NoticeRules = [new GroupNoticeRule { Level = 1, Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["mail", "sms"] } }],
        };

        var audience = NoticeAudience.Resolve(config, [Ops(), dev], 1, NotifyStep.Abnormal, Monday);

        Assert.Equal(["voice", "sms", "mail"], audience.Ways);
        Assert.Null(audience.OpensAt);
        Assert.Equal(["alice", "bob", "erin"], audience.ReceiversFor(NoticeWay.Parse("sms")));
        Assert.Equal(["erin"], audience.ReceiversFor(NoticeWay.Parse("mail")));
        Assert.Equal(["alice", "bob"], audience.ReceiversFor(NoticeWay.Parse("voice")));
    }

    [Fact]
    public void Audience_OneGroupClosed_TheOpenOneIsNotifiedAlone()
    {
        var config = new ActionNotifyConfig { UserGroups = ["ops", "dev"], Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["mail"] } };
        var dev = new UserGroup { GroupId = "dev", Name = "Dev", Members = ["erin"] };

        var audience = NoticeAudience.Resolve(config, [Ops(), dev], 2, NotifyStep.Abnormal, Monday.AddHours(12));

        Assert.Null(audience.OpensAt);
        Assert.Equal(["erin"], audience.ReceiversFor(NoticeWay.Parse("mail")));
    }

    [Fact]
    public void Audience_EveryGroupClosed_WaitsForTheFirstToOpen()
    {
        var audience = NoticeAudience.Resolve(new ActionNotifyConfig { UserGroups = ["ops"] }, [Ops()], 2, NotifyStep.Abnormal, Monday.AddHours(12));
        Assert.Equal(Monday.AddDays(1).AddHours(1), audience.OpensAt);
        Assert.Equal(["mail"], audience.Ways);
    }

    private static string[] Split(string list) => list.Length == 0 ? [] : list.Split(',');
}
