using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Actions;

[Collection(ActionCollection.Name)]
public sealed class ActionScheduleTests(ActionCluster cluster)
{
    [Fact]
    public async Task RepeatNotices_IncreasingTwoSeconds_ArriveAtAbout0_2_6_14()
    {
        await GroupAsync("g-repeat", "alice");
        await cluster.Action("repeat").CreateAsync(ActionRequests.For("repeat", "g-repeat").Repeating(2, IntervalNotifyMode.Increasing));

        var view = await cluster.WaitForAsync("repeat", v => v.Runs.Count(r => r.Outcome == ActionStatus.Success) >= 4, "send four notices", TimeSpan.FromSeconds(20));
        await cluster.Action("repeat").CloseAsync();

        var first = view.Runs[0].StartedAt;
        var offsets = view.Runs.Take(4).Select(r => (r.StartedAt - first).TotalSeconds).ToArray();
        Assert.Equal([1, 2, 3, 4], view.Runs.Take(4).Select(r => r.ExecuteTimes));
        Assert.InRange(offsets[1], 2.0, 2.8);
        Assert.InRange(offsets[2], 6.0, 7.0);
        Assert.InRange(offsets[3], 14.0, 15.2);
        Assert.Equal(
            ["action:repeat/abnormal/1/mail", "action:repeat/abnormal/2/mail", "action:repeat/abnormal/3/mail", "action:repeat/abnormal/4/mail"],
            cluster.Deliveries("repeat", NotifyChannel.Email).Take(4).Select(d => d.Message.Reference));
        Assert.Contains("告警持续(第4次通知)", cluster.Deliveries("repeat", NotifyChannel.Email)[3].Message.Title);

        await cluster.WaitForEndAsync("repeat");
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("repeat"));
    }

    [Fact]
    public async Task ReceiveReminder_SameRunTickedTwice_SendsOneNotice()
    {
        await GroupAsync("g-dup", "alice");
        var action = cluster.Action("dup");
        var remindable = cluster.Client.GetGrain<IRemindable>(action.GetGrainId());
        await action.CreateAsync(ActionRequests.For("dup", "g-dup").Repeating(2, IntervalNotifyMode.Standard));
        var sleeping = await cluster.WaitForAsync("dup", v => v.Status == ActionStatus.Sleep, "sleep after the first notice");

        // Both ticks land when run 2 is due, racing the instance's own timer and reminder for it.
        var due = sleeping.NextNotifyTime!.Value;
        await Eventually.WaitAsync(() => Task.FromResult(DateTimeOffset.UtcNow), now => now >= due, TimeSpan.FromSeconds(5), now => $"now {now:O}, due {due:O}");
        var tick = new TickStatus(due.UtcDateTime, TimeSpan.FromSeconds(1), DateTime.UtcNow);
        await Task.WhenAll(remindable.ReceiveReminder("wake:2:0", tick, TestContext.Current.CancellationToken), remindable.ReceiveReminder("wake:2:0", tick, TestContext.Current.CancellationToken));
        var afterRun2 = await cluster.WaitForAsync("dup", v => v.Runs.Any(r => r.ExecuteTimes == 2 && r.Outcome is not null), "finish run 2");

        // Ticks for runs that already ran change nothing.
        await remindable.ReceiveReminder("wake:2:0", tick, TestContext.Current.CancellationToken);
        await remindable.ReceiveReminder("wake:1:0", tick, TestContext.Current.CancellationToken);
        var view = await action.GetAsync();
        await action.CloseAsync();

        Assert.Single(afterRun2.Runs, r => r.ExecuteTimes == 2);
        Assert.Equal(view!.ExecuteTimes, view.Runs.Count);
        Assert.Single(cluster.Deliveries("dup", NotifyChannel.Email), d => d.Message.Reference == "action:dup/abnormal/2/mail");
    }

    [Fact]
    public async Task Reminder_InstanceDeactivatedWhileSleeping_WakesItForTheNextNotice()
    {
        await GroupAsync("g-resume", "alice");
        var action = cluster.Action("resume");
        await action.CreateAsync(ActionRequests.For("resume", "g-resume").Repeating(2, IntervalNotifyMode.Standard));
        await cluster.WaitForAsync("resume", v => v.Status == ActionStatus.Sleep, "sleep after the first notice");
        Assert.Equal(["wake:2:0"], await cluster.RemindersAsync("resume"));

        // With the activation (and its timer) gone, only the reminder can wake the instance. Watch the transport, not
        // the grain: a call would activate it.
        var email = cluster.Cluster.Transport(NotifyChannel.Email);
        var sends = email.CompletedSends;
        await cluster.Cluster.Cluster.DeactivateAsync(action);
        await email.WaitForSendsAsync(sends + 1, TimeSpan.FromSeconds(10));

        Assert.Equal(["action:resume/abnormal/1/mail", "action:resume/abnormal/2/mail"], cluster.Deliveries("resume", NotifyChannel.Email).Select(d => d.Message.Reference));
        await action.CloseAsync();
        await cluster.WaitForEndAsync("resume");
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("resume"));
    }

    [Fact]
    public async Task Sleep_LongerThanTheThreshold_LeavesMemoryAndItsReminderSendsTheNextNoticeOnTime()
    {
        await GroupAsync("g-asleep", "alice");
        var action = cluster.Action("asleep");
        var email = cluster.Cluster.Transport(NotifyChannel.Email);
        var sends = email.CompletedSends;
        const int interval = 10;
        Assert.True(TimeSpan.FromSeconds(interval) > ActionCluster.DeactivateWhenAsleepLongerThan + TimeSpan.FromSeconds(3));
        await action.CreateAsync(ActionRequests.For("asleep", "g-asleep").Repeating(interval, IntervalNotifyMode.Standard));
        await email.WaitForSendsAsync(sends + 1, TimeSpan.FromSeconds(10));

        // Watched through the directory and the transport only: a call to the instance would activate it.
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        await Eventually.WaitAsync<SiloAddress?>(
            () => management.GetActivationAddress(action, TestContext.Current.CancellationToken).AsTask(),
            silo => silo is null,
            TimeSpan.FromSeconds(5),
            silo => $"the sleeping instance is still active on {silo}");
        await email.WaitForSendsAsync(sends + 2, TimeSpan.FromSeconds(interval + 5));

        var view = await action.GetAsync();
        await action.CloseAsync();
        Assert.Equal(["action:asleep/abnormal/1/mail", "action:asleep/abnormal/2/mail"], cluster.Deliveries("asleep", NotifyChannel.Email).Select(d => d.Message.Reference));
        var late = view!.Runs[1].StartedAt - view.Runs[0].StartedAt.AddSeconds(interval);
        Assert.InRange(late.TotalSeconds, 0, 1);
        await cluster.WaitForEndAsync("asleep");
    }

    [Fact]
    public async Task FailedRetry_PermanentFailure_RetriedEveryRetryIntervalUpToMaxThenFailure()
    {
        await GroupAsync("g-retry", "dave");
        cluster.Cluster.Transport(NotifyChannel.Email).Script("dave@example.com",
            ScriptedTransport.Permanent(), ScriptedTransport.Permanent(), ScriptedTransport.Permanent());
        await cluster.Action("retry").CreateAsync(ActionRequests.For("retry", "g-retry").WithRetry(maxRetryTimes: 2, retryInterval: 1));

        var done = await cluster.WaitForEndAsync("retry");

        Assert.Equal((ActionStatus.Failure, FailureType.ExecuteFailure), (done.Status, done.FailureType));
        Assert.Equal([(1, 0), (1, 1), (1, 2)], done.Runs.Select(r => (r.ExecuteTimes, r.RetryTimes)));
        Assert.All(done.Runs, r => Assert.Equal((ActionStatus.Failure, NoticeWayStatus.Failed), (r.Outcome, r.Results[0].Status)));
        Assert.All(done.Runs.Zip(done.Runs.Skip(1)), pair => Assert.InRange((pair.Second.StartedAt - pair.First.CompletedAt!.Value).TotalSeconds, 0.95, 2.5));
        Assert.Equal(
            ["action:retry/abnormal/1/mail", "action:retry/abnormal/1/mail/retry-1", "action:retry/abnormal/1/mail/retry-2"],
            cluster.Deliveries("retry", NotifyChannel.Email).Select(d => d.Message.Reference));
        Assert.Contains("550", done.Runs[^1].Results[0].Error);
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("retry"));
    }

    [Fact]
    public async Task Timeout_NoticesNeverFinal_FailsWithTimeoutAndIsNotRetried()
    {
        await GroupAsync("g-timeout", "erin");
        var voice = cluster.Cluster.Transport(NotifyChannel.Voice);
        voice.Hold();
        ActionInstanceView done;
        try
        {
            await cluster.Action("timeout").CreateAsync(ActionRequests.For("timeout", "g-timeout", "voice").WithRetry(maxRetryTimes: 2, retryInterval: 1, timeout: 2));
            done = await cluster.WaitForEndAsync("timeout");
        }
        finally
        {
            voice.Release();
        }

        Assert.Equal((ActionStatus.Failure, FailureType.Timeout), (done.Status, done.FailureType));
        var run = Assert.Single(done.Runs);
        Assert.InRange((run.CompletedAt!.Value - run.StartedAt).TotalSeconds, 2.0, 3.5);
        Assert.Equal(NoticeWayStatus.Pending, run.Results[0].Status);
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("timeout"));

        // The held notice goes out once released; its late outcome is recorded without reopening the instance.
        var late = await cluster.WaitForAsync("timeout", v => v.Runs[0].Results[0].Status == NoticeWayStatus.Sent, "record the late outcome");
        Assert.Equal((ActionStatus.Failure, FailureType.Timeout, 1), (late.Status, late.FailureType, late.Runs.Count));
    }

    private async Task GroupAsync(string groupId, params string[] members)
    {
        foreach (var member in members)
        {
            await cluster.PutContactAsync(member, phone: "+8613800000000");
        }

        await cluster.PutGroupAsync(groupId, members);
    }
}
