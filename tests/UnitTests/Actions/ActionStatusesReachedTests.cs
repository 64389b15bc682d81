using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

/// <summary>
/// Every status of the state machine and every failure type is reached by a scenario the planner drives (with a fake
/// clock); each transition on the way is checked against <see cref="ActionTransitions"/> by the simulation.
/// </summary>
public sealed class ActionStatusesReachedTests
{
    private static CreateActionRequest Once(Func<ActionExecuteConfig, ActionExecuteConfig>? change = null) =>
        ActionRequests.Design().WithExecute(e => (change ?? (c => c))(e with { NeedPoll = false }));

    // The answers of the run's ways (frequency limit: "suppressed"; blacklist: "blocked") → the instance's end.
    private static readonly (string Answers, ActionStatus Status, FailureType? FailureType)[] Ends =
    [
        ("sent", ActionStatus.Success, null),
        ("sent failed", ActionStatus.PartialSuccess, null),
        ("partial failed", ActionStatus.PartialFailure, null),
        ("failed", ActionStatus.Failure, FailureType.ExecuteFailure),
        ("suppressed", ActionStatus.Skipped, null),
        ("blocked", ActionStatus.Blocked, FailureType.Blocked),
    ];

    public static TheoryData<string, ActionStatus, FailureType?> EndStatuses() => new(Ends);

    [Theory]
    [MemberData(nameof(EndStatuses))]
    public void Run_WaysEndingSo_InstanceEndsInTheRunsStatus(string answers, ActionStatus status, FailureType? failureType)
    {
        var outcomes = answers.Split(' ').Select(a => a switch
        {
            "sent" => NoticeWayStatus.Sent,
            "partial" => NoticeWayStatus.PartiallySent,
            "failed" => NoticeWayStatus.Failed,
            "suppressed" => NoticeWayStatus.Suppressed,
            _ => NoticeWayStatus.Blocked,
        }).ToArray();
        var request = ActionRequests.Design().WithSteps(NotifyStep.Abnormal, new[] { "mail", "rtx", "sms" }[..outcomes.Length]).WithExecute(e => e with { NeedPoll = false })
            .WithRetry(r => r with { IsEnabled = false });
        var next = 0;
        var simulation = new ActionSimulation(request) { Answer = _ => outcomes[next++ % outcomes.Length] };

        simulation.RunUntil(10_000);

        Assert.Equal((status, failureType), (simulation.State.Status, simulation.State.FailureType));
    }

    [Theory]
    [InlineData(NotSubmitted.RenderFailed, FailureType.FrameworkCodeFailure)]
    [InlineData(NotSubmitted.SubmitRefused, FailureType.CreateFailure)]
    public void Run_NoMessageCreated_FailsWithWhereItFailed(NotSubmitted how, FailureType failureType)
    {
        var simulation = new ActionSimulation(Once().WithRetry(r => r with { IsEnabled = false })) { FailBeforeSubmit = _ => how };
        simulation.RunUntil(10_000);
        Assert.Equal((ActionStatus.Failure, failureType), (simulation.State.Status, simulation.State.FailureType));
    }

    [Fact]
    public void Run_NotFinalWithinTheTimeout_FailsWithTimeout()
    {
        var simulation = new ActionSimulation(Once()) { Answer = _ => null };
        simulation.RunUntil(10_000);
        Assert.Equal((ActionStatus.Failure, FailureType.Timeout), (simulation.State.Status, simulation.State.FailureType));
    }

    [Fact]
    public void Shielded_RunRecordsShieldedWays_EndsShield()
    {
        var simulation = new ActionSimulation(Once());
        simulation.State.Shielded = true;
        simulation.RunUntil(10_000);
        Assert.Equal(ActionStatus.Shield, simulation.State.Status);
    }

    [Fact]
    public void Delay_FirstNoticeWaitsInWaitingThenRuns()
    {
        var simulation = new ActionSimulation(Once(e => e with { Delay = 300 }));

        var wait = Assert.IsType<WaitUntil>(simulation.RunUntil(299));
        Assert.Equal((ActionStatus.Waiting, ActionSimulation.Start.AddSeconds(300)), (simulation.State.Status, wait.At));
        Assert.Equal(ActionSimulation.Start.AddSeconds(300), ActionPlanner.NextNotifyTime(simulation.State));
        Assert.Empty(simulation.Starts);

        simulation.RunUntil(10_000);
        Assert.Equal([300], simulation.Starts.Select(s => s.Second));
        Assert.Equal([ActionStatus.Received, ActionStatus.Waiting, ActionStatus.Running, ActionStatus.Success], simulation.Statuses);
    }

    [Fact]
    public void Delay_StopSignalWhileWaiting_SendsTheSignalsNoticeAtOnce()
    {
        var simulation = new ActionSimulation(Once(e => e with { Delay = 300 }));
        simulation.RunUntil(100);

        simulation.Signal(ActionSignal.Recover);
        simulation.RunUntil(10_000);

        Assert.Equal([(100d, NotifyStep.Recovered)], simulation.Starts.Select(s => (s.Second, s.Step)));
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }

    [Fact]
    public void Retry_FailedRunWithRetries_PassesThroughRetrying()
    {
        var simulation = new ActionSimulation(Once()) { Answer = _ => NoticeWayStatus.Failed };
        simulation.RunUntil(10_000);
        Assert.Equal(
            [ActionStatus.Received, ActionStatus.Running, ActionStatus.Retrying, ActionStatus.Running, ActionStatus.Retrying, ActionStatus.Running, ActionStatus.Failure],
            simulation.Statuses);
    }

    [Fact]
    public void EveryStatusAndFailureType_HasAScenarioAbove()
    {
        var reachedHere = new[] { ActionStatus.Received, ActionStatus.Waiting, ActionStatus.Running, ActionStatus.Retrying, ActionStatus.Shield }
            .Concat(Ends.Select(end => end.Status))
            .Append(ActionStatus.Failure);
        // SLEEP is reached by every repeating scenario (ActionPlannerTests).
        Assert.Equal(Enum.GetValues<ActionStatus>().Except([ActionStatus.Sleep]).Order(), reachedHere.Distinct().Order());

        var failureTypes = Ends.Select(end => end.FailureType).OfType<FailureType>()
            .Concat([FailureType.FrameworkCodeFailure, FailureType.CreateFailure, FailureType.Timeout]);
        Assert.Equal(Enum.GetValues<FailureType>().Order(), failureTypes.Distinct().Order());
    }
}
