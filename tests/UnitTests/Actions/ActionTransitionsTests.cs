using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using static Notify.Grains.Abstractions.Actions.ActionStatus;

namespace Notify.UnitTests.Actions;

public sealed class ActionTransitionsTests
{
    // The state machine, written out independently of the implementation's table.
    private static readonly Dictionary<ActionStatus, ActionStatus[]> Expected = new()
    {
        [Received] = [Running, Waiting, Skipped],
        [Waiting] = [Running, Waiting, Sleep, Success, PartialSuccess, Failure, PartialFailure, Skipped, Shield, Blocked],
        [Running] = [Running, Sleep, Retrying, Waiting, Success, PartialSuccess, Failure, PartialFailure, Skipped, Shield, Blocked],
        [Sleep] = [Running, Waiting, Success, PartialSuccess, Failure, PartialFailure, Skipped, Shield, Blocked],
        [Retrying] = [Running, Waiting, Failure],
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

    [Theory]
    [InlineData(Sleep, Sleep, Running, null)]
    [InlineData(Running, Running, Running, null)]
    [InlineData(Sleep, Running, Success, "the instance is sleep, not running")]
    [InlineData(Success, Sleep, Running, "the instance is success, not sleep")]
    [InlineData(Retrying, Retrying, Sleep, "retrying → sleep is not a transition")]
    [InlineData(Waiting, Waiting, Retrying, "waiting → retrying is not a transition")]
    [InlineData(Failure, Failure, Running, "failure → running is not a transition")]
    public void Refusal_WrongCurrentStatusOrUnlistedChange_SaysWhy(ActionStatus current, ActionStatus from, ActionStatus to, string? reason)
    {
        var refusal = ActionTransitions.Refusal(current, from, to);
        if (reason is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Contains(reason, refusal);
        }
    }
}
