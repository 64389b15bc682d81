using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

/// <summary>Alert updates on an open instance, driven through the planner with a fake clock.</summary>
public sealed class ActionAlertUpdateTests
{
    private static CreateActionRequest Repeating(int interval, Func<ActionExecuteConfig, ActionExecuteConfig>? change = null) =>
        ActionRequests.Design().WithExecute(e => (change ?? (c => c))(e with { NotifyInterval = interval, IntervalNotifyMode = IntervalNotifyMode.Standard }));

    [Fact]
    public async Task Update_BetweenRepeats_TheNextNoticeRendersTheNewContent()
    {
        var simulation = new ActionSimulation(Repeating(60));
        simulation.RunUntil(30);

        simulation.Update(new ActionAlertUpdate { Content = "cpu 99%", Dimensions = new Dictionary<string, string> { ["host"] = "h2" } });
        simulation.RunUntil(61);

        Assert.Equal([0, 60], simulation.Starts.Select(s => s.Second));
        var first = simulation.Rendered[0][0];
        var repeat = simulation.Rendered[1][0];
        Assert.Equal(("cpu 95%", "h1"), (first.Alert.Content, first.Alert.Dimensions["host"]));
        Assert.Equal(("cpu 99%", "h2", NoticeReason.Repeat), (repeat.Alert.Content, repeat.Alert.Dimensions["host"], repeat.Reason));
        var body = (await new PlainTextActionNoticeRenderer().RenderAsync(repeat, CancellationToken.None)).Body;
        Assert.Contains("cpu 99%", body);
        Assert.Contains("host=h2", body);
    }

    [Fact]
    public void Update_LevelChangeWithNotifyOnLevelChange_NotifiesAtOnceAndTheRepeatClockRestarts()
    {
        var simulation = new ActionSimulation(Repeating(3600, e => e with { NotifyOnLevelChange = true }));
        simulation.RunUntil(100);

        simulation.Update(new ActionAlertUpdate { Level = 2 });
        Assert.Equal(simulation.Now, ActionPlanner.NextNotifyTime(simulation.State));
        simulation.RunUntil(100);

        Assert.Equal([0, 100], simulation.Starts.Select(s => s.Second));
        Assert.Equal(2, simulation.Rendered[1][0].Alert.Level);
        Assert.Equal(ActionSimulation.Start.AddSeconds(3700), ActionPlanner.NextNotifyTime(simulation.State));
    }

    [Fact]
    public void Update_LevelChangeWithoutNotifyOnLevelChange_WaitsForTheRepeat()
    {
        var simulation = new ActionSimulation(Repeating(3600));
        simulation.RunUntil(100);

        simulation.Update(new ActionAlertUpdate { Level = 2 });
        simulation.RunUntil(3601);

        Assert.Equal([0, 3600], simulation.Starts.Select(s => s.Second));
        Assert.Equal(2, simulation.Rendered[1][0].Alert.Level);
    }

    [Fact]
    public void Update_SameLevelAgain_SendsNothingExtra()
    {
        var simulation = new ActionSimulation(Repeating(3600, e => e with { NotifyOnLevelChange = true }));
        simulation.RunUntil(100);

        simulation.Update(new ActionAlertUpdate { Level = 1, Content = "cpu 97%" });
        simulation.RunUntil(200);

        Assert.Equal([0], simulation.Starts.Select(s => s.Second));
    }

    [Fact]
    public void Update_LevelChangeWhileTheFirstRunIsInFlight_NotifiesRightAfterItEvenWithoutRepeats()
    {
        var simulation = new ActionSimulation(Repeating(0, e => e with { NotifyOnLevelChange = true })) { Answer = _ => null };
        simulation.RunUntil(10);
        Assert.Equal(ActionStatus.Running, simulation.State.Status);

        simulation.Update(new ActionAlertUpdate { Level = 3 });
        foreach (var way in simulation.State.CurrentRun!.Ways)
        {
            way.Status = NoticeWayStatus.Sent;
        }

        simulation.Answer = _ => NoticeWayStatus.Sent;
        simulation.RunUntil(10);

        Assert.Equal([0, 10], simulation.Starts.Select(s => s.Second));
        Assert.Equal(3, simulation.Rendered[1][0].Alert.Level);
        Assert.Equal(ActionStatus.Success, simulation.State.Status);
    }

    [Fact]
    public void Repeat_RequireNewAnomalyWithoutOne_IsRecordedSkippedWithTheReasonAndTheNextRepeatFollows()
    {
        var simulation = new ActionSimulation(Repeating(60, e => e with { RequireNewAnomaly = true }));
        simulation.RunUntil(61);

        var skipped = simulation.State.Runs[^1];
        Assert.Equal((2, ActionStatus.Skipped, 0), (skipped.ExecuteTimes, skipped.Outcome, skipped.Ways.Count));
        Assert.Contains("no anomaly point newer", skipped.SkipReason);
        Assert.Equal([60], simulation.Skips.Select(s => s.Second));
        Assert.Equal(ActionStatus.Sleep, simulation.State.Status);
        Assert.Equal(ActionStatus.Success, simulation.State.LastOutcome);

        simulation.Update(new ActionAlertUpdate { LatestAnomalyTime = ActionSimulation.Start.AddSeconds(90) });
        simulation.RunUntil(121);

        Assert.Equal([0, 120], simulation.Starts.Select(s => s.Second));
        Assert.Equal([2, 3], simulation.State.Runs.Skip(1).Select(r => r.ExecuteTimes));
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(90, null)]
    public void Repeat_RequireNewAnomalyWithANewerPoint_IsSent(int? anomalySecond, int? eventCount)
    {
        var simulation = new ActionSimulation(Repeating(60, e => e with { RequireNewAnomaly = true }));
        simulation.RunUntil(30);

        simulation.Update(new ActionAlertUpdate
        {
            LatestAnomalyTime = anomalySecond is { } second ? ActionSimulation.Start.AddSeconds(second) : null,
            EventCount = eventCount,
        });
        simulation.RunUntil(61);

        Assert.Equal([0, 60], simulation.Starts.Select(s => s.Second));
        Assert.Empty(simulation.Skips);
    }

    [Fact]
    public void Repeat_WithoutRequireNewAnomaly_IsSentWhateverTheAnomalyPoint()
    {
        var simulation = new ActionSimulation(Repeating(60));
        simulation.RunUntil(121);
        Assert.Equal([0, 60, 120], simulation.Starts.Select(s => s.Second));
    }

    [Fact]
    public void ApplyTo_OlderAnomalyPointThanHeld_IsIgnored()
    {
        var alert = ActionRequests.Design().Alert with { LatestAnomalyTime = ActionSimulation.Start, EventCount = 7 };
        var updated = new ActionAlertUpdate { LatestAnomalyTime = ActionSimulation.Start.AddMinutes(-5), EventCount = 3, Content = "late" }.ApplyTo(alert);
        Assert.Equal((ActionSimulation.Start, 7, "late"), (updated.AnomalyTime, updated.EventCount, updated.Content));
    }

    [Theory]
    [InlineData("body", null, null, null)]
    [InlineData("level", 0, null, null)]
    [InlineData("level", 4, null, null)]
    [InlineData("eventCount", null, -1, null)]
    [InlineData("content", null, null, 4001)]
    public void EnsureValid_BadUpdate_IsRefusedNamingTheField(string field, int? level, int? eventCount, int? contentLength)
    {
        var update = new ActionAlertUpdate
        {
            Level = level,
            EventCount = eventCount,
            Content = contentLength is { } length ? new string('x', length) : null,
        };
        var error = Assert.Throws<NotifyRequestException>(() => ActionRequestValidator.EnsureValid(update));
        Assert.Equal((RequestErrorKind.Invalid, field), (error.Kind, Assert.Single(error.Errors).Field));
    }
}
