using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using Orleans.Serialization;

namespace Notify.UnitTests.Actions;

/// <summary>The new state and group fields survive Orleans' binary serializer, which the grain storage writes with.</summary>
public sealed class ActionStateSerializationTests
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(ActionInstanceState).Assembly))
        .BuildServiceProvider();

    private static T RoundTrip<T>(T value)
    {
        var serializer = Services.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value))!;
    }

    [Fact]
    public void UserGroup_WithRulesAndDuty_RoundTrips()
    {
        var group = new UserGroup
        {
            GroupId = "ops",
            Name = "Ops",
            TimeZone = "Asia/Shanghai",
            NoticeRules = [new GroupNoticeRule { Level = 2, Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["mail"] }, TimeRanges = ["09:00--18:00"] }],
            Duty = new DutyRotation
            {
                Shifts = [new DutyShift { Members = ["ann"] }],
                HandOverTimes = [new TimeOnly(9, 0), new TimeOnly(21, 30)],
                ShiftDays = 7,
                StartDate = new DateOnly(2026, 11, 23),
            },
        };

        var copy = RoundTrip(group);

        Assert.Equal(("Asia/Shanghai", 2, "09:00--18:00"), (copy.TimeZone, copy.NoticeRules[0].Level, copy.NoticeRules[0].TimeRanges[0]));
        Assert.Equal(["mail"], copy.NoticeRules[0].Steps[NotifyStep.Abnormal]);
        Assert.Equal([new TimeOnly(9, 0), new TimeOnly(21, 30)], copy.Duty!.HandOverTimes);
        Assert.Equal((7, new DateOnly(2026, 11, 23), "ann"), (copy.Duty.ShiftDays, copy.Duty.StartDate, copy.Duty.Shifts[0].Members[0]));
    }

    [Fact]
    public void InstanceState_WithAlertUpdateWaitingAndASkippedRun_RoundTrips()
    {
        var anomaly = new DateTimeOffset(2026, 11, 23, 8, 5, 0, TimeSpan.Zero);
        var state = new ActionInstanceState
        {
            Request = ActionRequests.Design() with { NotifyConfig = ActionRequests.Design().NotifyConfig with { FrequencyLimit = 30 } },
            Status = ActionStatus.Waiting,
            FailureType = FailureType.FrameworkCodeFailure,
            Alert = ActionRequests.Design().Alert with { Level = 2, LatestAnomalyTime = anomaly, EventCount = 4 },
            NoticedLevel = 1,
            NoticedAnomalyTime = anomaly,
            NoticedEventCount = 3,
            WaitingUntil = anomaly.AddHours(1),
            Runs = [new NoticeRunState { Step = NotifyStep.Abnormal, ExecuteTimes = 2, Outcome = ActionStatus.Skipped, SkipReason = "nothing new" }],
        };

        var copy = RoundTrip(state);

        Assert.Equal((ActionStatus.Waiting, FailureType.FrameworkCodeFailure, 30), (copy.Status, copy.FailureType, copy.Request!.NotifyConfig.FrequencyLimit));
        Assert.Equal((2, anomaly, 4), (copy.Alert!.Level, copy.Alert.AnomalyTime, copy.Alert.EventCount));
        Assert.Equal((1, anomaly, 3, anomaly.AddHours(1)), (copy.NoticedLevel, copy.NoticedAnomalyTime, copy.NoticedEventCount, copy.WaitingUntil));
        Assert.Equal("nothing new", copy.Runs[0].SkipReason);
    }
}
