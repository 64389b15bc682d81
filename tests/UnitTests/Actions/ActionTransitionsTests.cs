using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using static Notify.Grains.Abstractions.Actions.ActionStatus;

namespace Notify.UnitTests.Actions;

public sealed class ActionTransitionsTests
{
    // The state machine, written out independently of the implementation's table.
    private static readonly Dictionary<ActionStatus, ActionStatus[]> Expected = new()
    {
        [Received] = [Running, Skipped],
        [Running] = [Running, Sleep, Retrying, Success, PartialSuccess, Failure, Skipped, Shield, Blocked],
        [Sleep] = [Running, Success, PartialSuccess, Failure, Skipped, Shield, Blocked],
        [Retrying] = [Running, Failure],
    };

    public static TheoryData<ActionStatus, ActionStatus, bool> EveryPair()
    {
        var data = new TheoryData<ActionStatus, ActionStatus, bool>();
        foreach (var from in Enum.GetValues<ActionStatus>())
        {
            foreach (var to in Enum.GetValues<ActionStatus>())
            {
                data.Add(from, to, Expected.TryGetValue(from, out var allowed) && allowed.Contains(to));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void IsAllowed_EveryPair_MatchesTheStateMachine(ActionStatus from, ActionStatus to, bool allowed) =>
        Assert.Equal(allowed, ActionTransitions.IsAllowed(from, to));

    [Fact]
    public void IsAllowed_FromAnEndStatus_IsAlwaysRefused()
    {
        foreach (var end in ActionStatuses.End)
        {
            Assert.DoesNotContain(Enum.GetValues<ActionStatus>(), to => ActionTransitions.IsAllowed(end, to));
        }
    }

    [Fact]
    public void End_IsTheSevenFinalStatusesOfBkMonitor() =>
        Assert.Equal(
            [Success, PartialSuccess, Failure, PartialFailure, Skipped, Shield, Blocked],
            ActionStatuses.End.Order());

    [Fact]
    public void IsAllowed_NoTransitionEntersWaitingOrPartialFailure() =>
        Assert.DoesNotContain(Enum.GetValues<ActionStatus>(), from => ActionTransitions.IsAllowed(from, Waiting) || ActionTransitions.IsAllowed(from, PartialFailure));
}
