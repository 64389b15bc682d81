using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using Notify.Grains.Scheduling;

namespace Notify.UnitTests.Actions;

public sealed class ActionPlannerTests
{
    private static CreateActionRequest Request(int interval, IntervalNotifyMode mode = IntervalNotifyMode.Increasing, bool needPoll = true) =>
        ActionRequests.Design()
            .WithExecute(e => e with { NeedPoll = needPoll, NotifyInterval = interval, IntervalNotifyMode = mode })
            .WithRetry(_ => new FailedRetryConfig { IsEnabled = true, MaxRetryTimes = 2, RetryInterval = 60, Timeout = 0 });

    [Fact]
    public void Plan_Received_StartsTheFirstAbnormalRun()
    {
        var simulation = new ActionSimulation(Request(2));
        var start = Assert.IsType<StartRun>(simulation.Plan());
        Assert.Equal((NotifyStep.Abnormal, new WakeTicket(1, 0)), (start.Step, start.Ticket));
        Assert.Equal(["mail", "rtx"], start.Ways);
    }

    [Fact]
    public void Plan_IncreasingTwoSeconds_NoticesAt0_2_6_14_30()
    {
        var simulation = new ActionSimulation(Request(2));
        simulation.RunUntil(31);
        Assert.Equal([0, 2, 6, 14, 30], simulation.Starts.Select(s => s.Second));
        Assert.Equal(Enumerable.Range(1, 5).Select(n => new WakeTicket(n, 0)), simulation.Starts.Select(s => s.Ticket));
        Assert.Equal(ActionStatus.Sleep, simulation.State.Status);
        Assert.Equal(ActionSimulation.Start.AddSeconds(62), ActionPlanner.NextNotifyTime(simulation.State));
    }

    [Fact]
    public void Plan_Standard_NoticesEveryInterval()
    {
        var simulation = new ActionSimulation(Request(60, IntervalNotifyMode.Standard));
        simulation.RunUntil(200);
        Assert.Equal([0, 60, 120, 180], simulation.Starts.Select(s => s.Second));
    }

    [Fact]
    public void Plan_WakeLongAfterTheDueTime_RunsOnceAndCountsTheNextIntervalFromTheRealStart()
    {
        var simulation = new ActionSimulation(Request(2));
        simulation.RunUntil(1);
        simulation.Clock.Advance(TimeSpan.FromSeconds(100));

        var wait = Assert.IsType<WaitUntil>(simulation.RunUntil(101));
        Assert.Equal([0, 101], simulation.Starts.Select(s => s.Second));
        Assert.Equal(new WaitUntil(new WakeTicket(3, 0), ActionSimulation.Start.AddSeconds(105)), wait);
    }

    [Theory]
    [InlineData(false, 7200)]
    [InlineData(true, 0)]
    public void Plan_NoRepeat_FinishesWithTheFirstRunsOutcome(bool needPoll, int interval)
    {
        var simulation = new ActionSimulation(Request(interval, needPoll: needPoll));
        Assert.IsType<Idle>(simulation.RunUntil(100_000));
        Assert.Single(simulation.Starts);
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }

    [Fact]
    public void Plan_FailingNotices_RetriedEveryRetryIntervalThenFinalFailure()
    {
        var simulation = new ActionSimulation(Request(7200, needPoll: false)) { Answer = _ => NoticeWayStatus.Failed };
        simulation.RunUntil(100_000);
        Assert.Equal([(0d, new WakeTicket(1, 0)), (60d, new WakeTicket(1, 1)), (120d, new WakeTicket(1, 2))], simulation.Starts.Select(s => (s.Second, s.Ticket)));
        Assert.Equal((ActionStatus.Failure, FailureType.ExecuteFailure), (simulation.State.Status, simulation.State.FailureType));
    }

    [Fact]
    public void Plan_RetriesDisabled_FailureIsFinalAtOnce()
    {
        var simulation = new ActionSimulation(Request(7200, needPoll: false).WithRetry(f => f with { IsEnabled = false })) { Answer = _ => NoticeWayStatus.Failed };
        simulation.RunUntil(100_000);
        Assert.Single(simulation.Starts);
        Assert.Equal(ActionStatus.Failure, simulation.State.Status);
    }

    [Fact]
    public void Plan_RepeatFailsUntilRetriesRunOut_KeepsTheRepeatClockOfItsFirstAttempt()
    {
        var simulation = new ActionSimulation(Request(600, IntervalNotifyMode.Standard))
        {
            Answer = run => run.ExecuteTimes == 1 ? NoticeWayStatus.Failed : NoticeWayStatus.Sent,
        };
        simulation.RunUntil(700);
        Assert.Equal([0, 60, 120, 600], simulation.Starts.Select(s => s.Second));
        Assert.Equal(ActionStatus.Sleep, simulation.State.Status);
    }

    [Fact]
    public void Plan_NoticesNeverFinal_TimeoutIsFinalWithoutRetry()
    {
        var simulation = new ActionSimulation(Request(7200).WithRetry(f => f with { Timeout = 30 })) { Answer = _ => null };
        simulation.RunUntil(100_000);
        Assert.Single(simulation.Starts);
        Assert.Equal((ActionStatus.Failure, FailureType.Timeout), (simulation.State.Status, simulation.State.FailureType));
        Assert.Equal(ActionSimulation.Start.AddSeconds(30), simulation.State.CurrentRun!.CompletedAt);
    }

    [Fact]
    public void Plan_OutcomeOverdue_AsksTheMessageEveryCheckDelay()
    {
        var simulation = new ActionSimulation(Request(7200)) { Answer = _ => null };
        var first = Assert.IsType<WaitUntil>(simulation.RunUntil(1));
        Assert.Equal(new WaitUntil(new WakeTicket(1, 0), ActionSimulation.Start.AddMinutes(2)), first);

        simulation.RunUntil(250);
        Assert.Equal(["msg_1", "msg_2", "msg_1", "msg_2"], simulation.Checked);
        Assert.Equal(ActionStatus.Running, simulation.State.Status);
    }

    [Fact]
    public void Plan_AckWhileSleeping_SendsTheAckNoticeOnceThenFinishes()
    {
        var simulation = new ActionSimulation(Request(2));
        simulation.RunUntil(3);
        simulation.Signal(ActionSignal.Ack);
        Assert.IsType<Idle>(simulation.RunUntil(100_000));
        Assert.Equal([NotifyStep.Abnormal, NotifyStep.Abnormal, NotifyStep.Ack], simulation.Starts.Select(s => s.Step));
        Assert.Equal(new WakeTicket(3, 0), simulation.Starts[^1].Ticket);
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }

    [Fact]
    public void Plan_CloseWithoutClosedWays_FinishesWithTheLastOutcome()
    {
        var simulation = new ActionSimulation(Request(2)) { Answer = run => run.ExecuteTimes == 2 ? NoticeWayStatus.Suppressed : NoticeWayStatus.Sent };
        simulation.RunUntil(3);
        simulation.Signal(ActionSignal.Close);
        Assert.Equal(new Finish(ActionStatus.Skipped, null), simulation.Plan());
    }

    [Fact]
    public void Plan_RecoverDuringARun_SendsTheRecoveredNoticeRightAfterIt()
    {
        var simulation = new ActionSimulation(Request(2)) { Answer = _ => null };
        simulation.RunUntil(1);
        simulation.Signal(ActionSignal.Recover);
        Assert.IsType<WaitUntil>(simulation.Plan());

        foreach (var way in simulation.State.CurrentRun!.Ways)
        {
            way.Status = NoticeWayStatus.Sent;
        }

        simulation.Answer = _ => NoticeWayStatus.Failed;
        Assert.IsType<Idle>(simulation.RunUntil(100_000));
        Assert.Equal([(0d, NotifyStep.Abnormal), (1d, NotifyStep.Recovered), (61d, NotifyStep.Recovered), (121d, NotifyStep.Recovered)], simulation.Starts.Select(s => (s.Second, s.Step)));
        Assert.Equal(ActionStatus.Failure, simulation.State.Status);
    }

    [Fact]
    public void Plan_RecoverWhileRetrying_PreemptsTheRetry()
    {
        var simulation = new ActionSimulation(Request(2)) { Answer = run => run.Step == NotifyStep.Abnormal ? NoticeWayStatus.Failed : NoticeWayStatus.Sent };
        simulation.RunUntil(1);
        Assert.Equal(ActionStatus.Retrying, simulation.State.Status);

        simulation.Signal(ActionSignal.Recover);
        var start = Assert.IsType<StartRun>(simulation.Plan());
        Assert.Equal((NotifyStep.Recovered, new WakeTicket(2, 0)), (start.Step, start.Ticket));
        Assert.Equal(["mail"], start.Ways);
        Assert.Null(ActionPlanner.NextNotifyTime(simulation.State));
        simulation.RunUntil(100_000);
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }

    [Fact]
    public void Plan_StopBeforeTheFirstRunWithoutWays_IsSkipped()
    {
        var simulation = new ActionSimulation(Request(2));
        simulation.Signal(ActionSignal.Close);
        Assert.Equal(new Finish(ActionStatus.Skipped, null), simulation.Plan());
    }

    [Fact]
    public void Plan_Shielded_RecordsShieldedRunsAndKeepsRepeating()
    {
        var simulation = new ActionSimulation(Request(2));
        simulation.RunUntil(1);
        simulation.State.Shielded = true;
        simulation.RunUntil(7);
        simulation.State.Shielded = false;
        simulation.RunUntil(15);

        Assert.Equal([0, 2, 6, 14], simulation.Starts.Select(s => s.Second));
        Assert.Equal(
            [ActionStatus.Success, ActionStatus.Shield, ActionStatus.Shield, ActionStatus.Success],
            simulation.State.Runs.Select(r => r.Outcome!.Value));
        Assert.All(simulation.State.Runs[1].Ways, w => Assert.Equal((NoticeWayStatus.Shielded, null), (w.Status, w.MessageId)));
    }

    [Fact]
    public void IsCurrent_TickForARunThatAlreadyRan_IsStaleEvenWhenTheNextRunIsDue()
    {
        var simulation = new ActionSimulation(Request(2));
        simulation.RunUntil(3);
        simulation.Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new WakeTicket(3, 0), ActionPlanner.CurrentTicket(simulation.State));
        Assert.False(ActionPlanner.IsCurrent(new WakeTicket(2, 0), simulation.State));
        Assert.False(ActionPlanner.IsCurrent(new WakeTicket(1, 0), simulation.State));
        Assert.False(ActionPlanner.IsCurrent(new WakeTicket(4, 0), simulation.State));
        Assert.True(ActionPlanner.IsCurrent(new WakeTicket(3, 0), simulation.State));
    }

    [Fact]
    public void CurrentTicket_FollowsTheRunInFlightOrAwaited()
    {
        var simulation = new ActionSimulation(Request(7200, needPoll: false)) { Answer = _ => NoticeWayStatus.Failed };
        Assert.Equal(new WakeTicket(1, 0), ActionPlanner.CurrentTicket(simulation.State));

        simulation.Apply(simulation.Plan());
        Assert.Equal(new WakeTicket(1, 0), ActionPlanner.CurrentTicket(simulation.State));

        simulation.RunUntil(30);
        Assert.Equal(ActionStatus.Retrying, simulation.State.Status);
        Assert.Equal(new WakeTicket(1, 1), ActionPlanner.CurrentTicket(simulation.State));
        Assert.Equal(ActionSimulation.Start.AddSeconds(60), ActionPlanner.NextNotifyTime(simulation.State));

        simulation.RunUntil(100_000);
        Assert.False(ActionPlanner.IsCurrent(new WakeTicket(1, 2), simulation.State));
        Assert.IsType<Idle>(simulation.Plan());
    }

    [Fact]
    public void BeginRun_HistoryFull_DropsTheOldestRun()
    {
        // More repeats than the history keeps (and than Notify:Actions:MaxRepeats allows by default).
        var simulation = new ActionSimulation(Request(1, IntervalNotifyMode.Standard)) { MaxRepeats = ActionLimits.MaxRunsKept * 2 };
        simulation.RunUntil(ActionLimits.MaxRunsKept + 4);
        Assert.Equal(ActionLimits.MaxRunsKept, simulation.State.Runs.Count);
        Assert.Equal(5, simulation.State.DroppedRuns);
        Assert.Equal(6, simulation.State.Runs[0].ExecuteTimes);
    }
}
