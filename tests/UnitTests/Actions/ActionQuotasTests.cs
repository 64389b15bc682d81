using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

/// <summary>The configured bounds on an action instance's cost: the repeat interval, the receivers per way, the repeats.</summary>
public sealed class ActionQuotasTests
{
    private static readonly ActionOptions Options = new() { MinNotifyIntervalSeconds = 60, MaxReceiversPerWay = 3, MaxRepeats = 2 };

    private static CreateActionRequest Request(int interval, bool needPoll = true, params string[] ways) => ActionRequestValidator.EnsureValid(new CreateActionRequest
    {
        ActionId = "a1",
        Alert = new ActionAlert { Id = "alert-1", Name = "CPU high", BeginTime = ActionSimulation.Start },
        NotifyConfig = new ActionNotifyConfig
        {
            UserGroups = ["ops"],
            Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ways.Length > 0 ? ways : ["mail"] },
        },
        ExecuteConfig = new ActionExecuteConfig { NeedPoll = needPoll, NotifyInterval = interval, IntervalNotifyMode = IntervalNotifyMode.Standard },
    });

    private static NoticeAudience Audience(CreateActionRequest request, int members) =>
        NoticeAudience.Resolve(request.NotifyConfig, [new UserGroup { GroupId = "ops", Name = "ops", Members = Enumerable.Range(0, members).Select(i => $"u{i}").ToArray() }],
            1, NotifyStep.Abnormal, ActionSimulation.Start);

    [Theory]
    [InlineData(60, true, 3, null)]
    [InlineData(0, true, 3, null)]
    [InlineData(1, false, 3, null)]
    [InlineData(59, true, 3, "executeConfig.notifyInterval: must be at least 60 seconds between repeats (Notify:Actions:MinNotifyIntervalSeconds), or 0 for no repeats (got 59)")]
    [InlineData(1, true, 3, "executeConfig.notifyInterval: must be at least 60 seconds between repeats (Notify:Actions:MinNotifyIntervalSeconds), or 0 for no repeats (got 1)")]
    [InlineData(3600, true, 4, "notifyConfig.userGroups: the user groups reach 4 receivers on one notice way; at most 3 are allowed (Notify:Actions:MaxReceiversPerWay)")]
    public void Check_NamesTheFieldAndTheLimit(int interval, bool needPoll, int members, string? error)
    {
        var request = Request(interval, needPoll);

        var errors = ActionQuotas.Check(request, Audience(request, members), Options);

        Assert.Equal(error is null ? [] : [error], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Check_RobotWay_ReachesOneChatWhateverTheGroupsHold()
    {
        var request = Request(3600, true, "wxwork-bot|chat-1");

        Assert.Empty(ActionQuotas.Check(request, Audience(request, 10), Options));
    }

    [Fact]
    public void Plan_MaxRepeats_TheFirstNoticeAndThatManyRepeatsThenTheInstanceEnds()
    {
        var simulation = new ActionSimulation(Request(60)) { MaxRepeats = Options.MaxRepeats };

        Assert.IsType<Idle>(simulation.RunUntil(100_000));

        Assert.Equal([0, 60, 120], simulation.Starts.Select(s => s.Second));
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }
}
