using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

/// <summary>User-group notice rules and time ranges as the planner applies them, with a fake clock (the simulation starts Monday 08:00 UTC).</summary>
public sealed class ActionGroupRulesTests
{
    private static ActionSimulation Simulation(CreateActionRequest request, params GroupNoticeRule[] rules)
    {
        var simulation = new ActionSimulation(request);
        simulation.Groups[0] = simulation.Groups[0] with { NoticeRules = rules };
        return simulation;
    }

    private static GroupNoticeRule Rule(int level, string[] ranges, params (NotifyStep Step, string[] Ways)[] steps) => new()
    {
        Level = level,
        TimeRanges = ranges,
        Steps = steps.ToDictionary(s => s.Step, s => (IReadOnlyList<string>)s.Ways),
    };

    private static CreateActionRequest Repeating(int interval, Func<ActionExecuteConfig, ActionExecuteConfig>? change = null) =>
        ActionRequests.Design().WithExecute(e => (change ?? (c => c))(e with { NotifyInterval = interval, IntervalNotifyMode = IntervalNotifyMode.Standard }));

    [Fact]
    public void FirstNotice_OutsideTheGroupsTimeRange_WaitsUntilItOpens()
    {
        var simulation = Simulation(Repeating(0), Rule(1, ["09:00--10:00"]));

        var wait = Assert.IsType<WaitUntil>(simulation.RunUntil(3599));
        Assert.Equal((ActionStatus.Waiting, ActionSimulation.Start.AddHours(1)), (simulation.State.Status, wait.At));
        Assert.Equal(ActionSimulation.Start.AddHours(1), ActionPlanner.NextNotifyTime(simulation.State));

        simulation.RunUntil(100_000);
        Assert.Equal([3600], simulation.Starts.Select(s => s.Second));
        Assert.Equal([ActionStatus.Received, ActionStatus.Waiting, ActionStatus.Running, ActionStatus.Success], simulation.Statuses);
    }

    [Fact]
    public void Delay_EndingOutsideTheTimeRange_WaitsOnForTheRange()
    {
        var simulation = Simulation(Repeating(0, e => e with { Delay = 60 }), Rule(1, ["09:00--10:00"]));
        simulation.RunUntil(100_000);
        Assert.Equal([3600], simulation.Starts.Select(s => s.Second));
        Assert.Equal([ActionStatus.Received, ActionStatus.Waiting, ActionStatus.Running, ActionStatus.Success], simulation.Statuses);
    }

    [Fact]
    public void Repeat_DueWhenTheRangeIsClosed_IsDeferredToItsOpeningAndTheNextCountsFromThere()
    {
        // Open 08:00-08:30 and 09:00-10:00 UTC; repeats every 20 minutes.
        var simulation = Simulation(Repeating(1200), Rule(1, ["08:00--08:30", "09:00--10:00"]));

        simulation.RunUntil(3 * 3600);

        Assert.Equal([0, 1200, 3600, 4800, 6000], simulation.Starts.Select(s => s.Second).Take(5));
        Assert.Contains(ActionStatus.Waiting, simulation.Statuses);
    }

    [Fact]
    public void Repeat_DeferredWithNothingNew_IsSkippedWhenTheRangeOpensAndSleepsOn()
    {
        var simulation = Simulation(Repeating(1200, e => e with { RequireNewAnomaly = true }), Rule(1, ["08:00--08:10", "09:00--10:00"]));

        simulation.RunUntil(3601);

        Assert.Equal([0], simulation.Starts.Select(s => s.Second));
        Assert.Equal([3600], simulation.Skips.Select(s => s.Second));
        Assert.Equal(ActionStatus.Sleep, simulation.State.Status);
        Assert.Equal([ActionStatus.Received, ActionStatus.Running, ActionStatus.Sleep, ActionStatus.Waiting, ActionStatus.Sleep], simulation.Statuses);
    }

    [Fact]
    public void Steps_TheActionHasNone_TheGroupsRuleForTheLevelGivesThem()
    {
        var request = ActionRequests.Design().WithSteps(NotifyStep.Abnormal).WithSteps(NotifyStep.Recovered).WithExecute(e => e with { NotifyInterval = 3600 });
        var simulation = Simulation(request,
            Rule(1, [], (NotifyStep.Abnormal, ["voice", "sms"]), (NotifyStep.Recovered, ["sms"])),
            Rule(2, [], (NotifyStep.Abnormal, ["mail"])));

        simulation.RunUntil(10);
        simulation.Signal(ActionSignal.Recover);
        simulation.RunUntil(20);

        Assert.Equal(["voice", "sms"], simulation.State.Runs[0].Ways.Select(w => w.NoticeWay));
        Assert.Equal(NotifyStep.Recovered, simulation.State.Runs[1].Step);
        Assert.Equal(["sms"], simulation.State.Runs[1].Ways.Select(w => w.NoticeWay));
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }

    [Fact]
    public void Steps_BothGiven_TheActionsOverrideTheGroups()
    {
        var simulation = Simulation(Repeating(0), Rule(1, [], (NotifyStep.Abnormal, ["voice"])));
        simulation.RunUntil(10);
        Assert.Equal(["mail", "rtx"], simulation.State.Runs[0].Ways.Select(w => w.NoticeWay));
    }

    [Fact]
    public void LevelChange_ToALevelWithOtherWays_NotifiesThroughThatLevelsWays()
    {
        var request = ActionRequests.Design().WithSteps(NotifyStep.Abnormal).WithExecute(e => e with { NotifyInterval = 3600, NotifyOnLevelChange = true });
        var simulation = Simulation(request, Rule(1, [], (NotifyStep.Abnormal, ["voice"])), Rule(3, [], (NotifyStep.Abnormal, ["mail"])));
        simulation.RunUntil(100);

        simulation.Update(new ActionAlertUpdate { Level = 3 });
        simulation.RunUntil(100);

        Assert.Equal(["voice"], simulation.State.Runs[0].Ways.Select(w => w.NoticeWay));
        Assert.Equal(["mail"], simulation.State.Runs[1].Ways.Select(w => w.NoticeWay));
    }

    [Fact]
    public void Recover_WhileEveryRangeIsClosed_TheRecoveredNoticeWaitsForTheRange()
    {
        var simulation = Simulation(Repeating(7200), Rule(1, ["08:00--08:30", "12:00--13:00"]));
        simulation.RunUntil(3600);

        simulation.Signal(ActionSignal.Recover);
        simulation.RunUntil(100_000);

        Assert.Equal([(0d, NotifyStep.Abnormal), (4 * 3600d, NotifyStep.Recovered)], simulation.Starts.Select(s => (s.Second, s.Step)));
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }
}
