using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

public sealed class ActionRetentionTests
{
    private static readonly DateTimeOffset Ended = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public static TheoryData<ActionStatus, double, bool> Cases() => new()
    {
        { ActionStatus.Success, 29.9, false },
        { ActionStatus.Success, 30, true },
        { ActionStatus.Failure, 31, true },
        { ActionStatus.Skipped, 31, true },
        { ActionStatus.Sleep, 3650, false },
        { ActionStatus.Waiting, 3650, false },
        { ActionStatus.Retrying, 3650, false },
        { ActionStatus.Received, 3650, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsExpired_OnlyAFinishedInstancePastItsRetention(ActionStatus status, double daysAfterEnd, bool expired)
    {
        var state = new ActionInstanceState
        {
            Request = new CreateActionRequest { ActionId = "a1", Alert = new ActionAlert { Id = "x", Name = "x" }, NotifyConfig = new ActionNotifyConfig() },
            Status = status,
            UpdatedAt = Ended,
            EndTime = status.IsEnd() ? Ended : null,
        };

        Assert.Equal(expired, ActionRetention.IsExpired(state, Retention, Ended.AddDays(daysAfterEnd)));
    }

    [Fact]
    public void PurgeAt_NeverCreated_IsNull() =>
        Assert.Null(ActionRetention.PurgeAt(new ActionInstanceState { Status = ActionStatus.Success }, Retention));

    [Fact]
    public void PurgeAt_FinishedWithoutEndTime_CountsFromTheLastUpdate()
    {
        var state = new ActionInstanceState
        {
            Request = new CreateActionRequest { ActionId = "a1", Alert = new ActionAlert { Id = "x", Name = "x" }, NotifyConfig = new ActionNotifyConfig() },
            Status = ActionStatus.Success,
            UpdatedAt = Ended,
        };

        Assert.Equal(Ended + Retention, ActionRetention.PurgeAt(state, Retention));
    }
}
