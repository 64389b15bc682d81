using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Actions;

[Collection(ActionCollection.Name)]
public sealed class ActionInstanceGrainTests(ActionCluster cluster)
{
    [Fact]
    public async Task CreateAsync_FirstNotice_OneMessagePerWayThenSuccess()
    {
        await GroupAsync("g-first", "alice", "bob");
        var created = await cluster.Action("first").CreateAsync(ActionRequests.For("first", "g-first", "mail", "rtx"));
        Assert.Equal(1, created.ExecuteTimes);

        var done = await cluster.WaitForEndAsync("first");
        Assert.Equal((ActionStatus.Success, null), (done.Status, done.FailureType));
        var run = Assert.Single(done.Runs);
        Assert.Equal((NotifyStep.Abnormal, 1, 0, ActionStatus.Success), (run.Step, run.ExecuteTimes, run.RetryTimes, run.Outcome));
        Assert.All(run.Results, r => Assert.Equal((NoticeWayStatus.Sent, 2), (r.Status, r.Sent)));

        var mail = Assert.Single(cluster.Deliveries("first", NotifyChannel.Email));
        Assert.Equal(["alice@example.com", "bob@example.com"], mail.Recipients.Select(r => r.Address).Order());
        // Rendered per way through the ACTION_NOTICE template with the notice reason: HTML e-mail, plain text on WeCom.
        Assert.Equal(("action:first/abnormal/1/mail", "【告警通知】CPU high", EmailFormat.Html), (mail.Message.Reference, mail.Message.Title, mail.Message.Format));
        Assert.StartsWith("<h3>告警通知:CPU high</h3>", mail.Message.Body);
        var rtx = Assert.Single(cluster.Deliveries("first", NotifyChannel.Rtx));
        Assert.Equal(("【告警通知】CPU high", EmailFormat.Text), (rtx.Message.Title, rtx.Message.Format));
        Assert.Equal(["mail", "rtx"], done.NoticeResults()[NotifyStep.Abnormal].Keys.Order());
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("first"));
    }

    [Fact]
    public async Task CreateAsync_SameBodyAgain_ReturnsTheInstanceWithoutAnotherNotice()
    {
        await GroupAsync("g-idem", "alice");
        var request = ActionRequests.For("idem", "g-idem");
        await cluster.Action("idem").CreateAsync(request);
        await cluster.WaitForEndAsync("idem");

        var again = await cluster.Action("idem").CreateAsync(request);
        Assert.Equal((ActionStatus.Success, 1), (again.Status, again.Runs.Count));
        Assert.Single(cluster.Deliveries("idem", NotifyChannel.Email));
    }

    [Fact]
    public async Task CreateAsync_SameIdDifferentBody_Conflicts()
    {
        await GroupAsync("g-conflict", "alice");
        await cluster.Action("conflict").CreateAsync(ActionRequests.For("conflict", "g-conflict"));

        var error = await Assert.ThrowsAsync<NotifyRequestException>(() =>
            cluster.Action("conflict").CreateAsync(ActionRequests.For("conflict", "g-conflict", "mail", "sms")));
        Assert.Equal((RequestErrorKind.Conflict, "actionId"), (error.Kind, error.Errors[0].Field));
    }

    [Fact]
    public async Task CreateAsync_UserGroupMissing_IsRefusedAndLeavesNothingBehind()
    {
        var error = await Assert.ThrowsAsync<NotifyRequestException>(() =>
            cluster.Action("no-group").CreateAsync(ActionRequests.For("no-group", "g-never-created")));

        Assert.Equal(RequestErrorKind.Invalid, error.Kind);
        Assert.Equal(["notifyConfig.userGroups[0]"], error.Errors.Select(e => e.Field));
        Assert.Null(await cluster.Action("no-group").GetAsync());
        Assert.Empty(await cluster.RemindersAsync("no-group"));
    }

    [Fact]
    public async Task CreateAsync_InvalidBody_IsRefusedNamingEveryField()
    {
        await GroupAsync("g-invalid", "alice");
        var request = ActionRequests.For("invalid", "g-invalid", "mail", "telegram").Repeating(-5, IntervalNotifyMode.Increasing);

        var error = await Assert.ThrowsAsync<NotifyRequestException>(() => cluster.Action("invalid").CreateAsync(request));
        Assert.Equal(RequestErrorKind.Invalid, error.Kind);
        Assert.Equal(["notifyConfig.steps.abnormal[1]", "executeConfig.notifyInterval"], error.Errors.Select(e => e.Field));
        Assert.Null(await cluster.Action("invalid").GetAsync());
    }

    [Fact]
    public async Task CreateAsync_BodyForAnotherId_IsRefused()
    {
        await GroupAsync("g-other", "alice");
        var error = await Assert.ThrowsAsync<NotifyRequestException>(() => cluster.Action("this-one").CreateAsync(ActionRequests.For("other-one", "g-other")));
        Assert.Equal((RequestErrorKind.Invalid, "actionId"), (error.Kind, error.Errors[0].Field));
    }

    [Fact]
    public async Task Signals_UnknownInstance_AreNotFound()
    {
        var error = await Assert.ThrowsAsync<NotifyRequestException>(() => cluster.Action("never-created").AckAsync());
        Assert.Equal(RequestErrorKind.NotFound, error.Kind);
        Assert.Null(await cluster.Action("never-created").GetAsync());
    }

    [Fact]
    public async Task AckAsync_WhileSleeping_SendsOneAckNoticeAndNothingAfter()
    {
        await GroupAsync("g-ack", "alice");
        var request = ActionRequests.For("ack", "g-ack").Repeating(3600, IntervalNotifyMode.Increasing).WithSteps(NotifyStep.Ack, "mail");
        await cluster.Action("ack").CreateAsync(request);
        var sleeping = await cluster.WaitForAsync("ack", v => v.Status == ActionStatus.Sleep, "sleep until the first repeat");
        Assert.Equal(sleeping.Runs[0].StartedAt.AddHours(1), sleeping.NextNotifyTime);
        Assert.Equal(["wake:2:0"], await cluster.RemindersAsync("ack"));

        await cluster.Action("ack").AckAsync();
        var done = await cluster.WaitForEndAsync("ack");

        Assert.Equal((ActionStatus.Success, ActionSignal.Ack), (done.Status, done.StopSignal));
        Assert.Equal([NotifyStep.Abnormal, NotifyStep.Ack], done.Runs.Select(r => r.Step));
        Assert.Equal(["action:ack/abnormal/1/mail", "action:ack/ack/2/mail"], cluster.Deliveries("ack", NotifyChannel.Email).Select(d => d.Message.Reference));
        Assert.Null(done.NextNotifyTime);
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("ack"));
        await AssertFinishedAsync("ack");
    }

    [Fact]
    public async Task RecoverAsync_SendsTheRecoveredNoticeAndStopsRepeating()
    {
        await GroupAsync("g-recover", "alice");
        var request = ActionRequests.For("recover", "g-recover").Repeating(3600, IntervalNotifyMode.Standard).WithSteps(NotifyStep.Recovered, "mail", "rtx");
        await cluster.Action("recover").CreateAsync(request);
        await cluster.WaitForAsync("recover", v => v.Status == ActionStatus.Sleep, "sleep until the first repeat");

        await cluster.Action("recover").RecoverAsync();
        var done = await cluster.WaitForEndAsync("recover");

        Assert.Equal((ActionStatus.Success, AlertStatus.Recovered, ActionSignal.Recover), (done.Status, done.Alert.Status, done.StopSignal));
        Assert.Equal([NotifyStep.Abnormal, NotifyStep.Recovered], done.Runs.Select(r => r.Step));
        Assert.Equal(["mail", "rtx"], done.NoticeResults()[NotifyStep.Recovered].Keys.Order());
        Assert.Equal("【告警已恢复】CPU high", cluster.Deliveries("recover", NotifyChannel.Email)[^1].Message.Title);
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("recover"));
        await AssertFinishedAsync("recover");
    }

    [Fact]
    public async Task CloseAsync_NoClosedNoticeConfigured_EndsAtOnceWithTheLastOutcome()
    {
        await GroupAsync("g-close", "alice");
        await cluster.Action("close").CreateAsync(ActionRequests.For("close", "g-close").Repeating(3600, IntervalNotifyMode.Standard));
        await cluster.WaitForAsync("close", v => v.Status == ActionStatus.Sleep, "sleep until the first repeat");

        var closed = await cluster.Action("close").CloseAsync();

        Assert.Equal((ActionStatus.Success, AlertStatus.Closed), (closed.Status, closed.Alert.Status));
        Assert.Single(closed.Runs);
        Assert.Single(cluster.Deliveries("close", NotifyChannel.Email));
        Assert.Equal([ActionInstanceGrain.PurgeReminder], await cluster.RemindersAsync("close"));
        await AssertFinishedAsync("close");
    }

    [Fact]
    public async Task RecoverAsync_DuringARun_SendsTheRecoveredNoticeAfterItAndRefusesAnotherStop()
    {
        await GroupAsync("g-midrun", "frank");
        var request = ActionRequests.For("midrun", "g-midrun", "voice").Repeating(3600, IntervalNotifyMode.Standard).WithSteps(NotifyStep.Recovered, "voice");
        var voice = cluster.Cluster.Transport(NotifyChannel.Voice);
        voice.Hold();
        try
        {
            await cluster.Action("midrun").CreateAsync(request);
            var stopping = await cluster.Action("midrun").RecoverAsync();
            Assert.Equal((ActionStatus.Running, ActionSignal.Recover), (stopping.Status, stopping.StopSignal));

            var again = await cluster.Action("midrun").RecoverAsync();
            Assert.Equal(ActionSignal.Recover, again.StopSignal);
            var error = await Assert.ThrowsAsync<NotifyRequestException>(() => cluster.Action("midrun").CloseAsync());
            Assert.Equal(RequestErrorKind.Conflict, error.Kind);
        }
        finally
        {
            voice.Release();
        }

        var done = await cluster.WaitForEndAsync("midrun");
        Assert.Equal([(NotifyStep.Abnormal, ActionStatus.Success), (NotifyStep.Recovered, ActionStatus.Success)], done.Runs.Select(r => (r.Step, r.Outcome!.Value)));
        Assert.Equal(ActionStatus.Success, done.Status);
    }

    [Fact]
    public async Task ShieldAsync_DueNoticesAreRecordedNotSent_UnshieldResumesThem()
    {
        await GroupAsync("g-shield", "alice");
        await cluster.Action("shield").CreateAsync(ActionRequests.For("shield", "g-shield").Repeating(1, IntervalNotifyMode.Standard));
        await cluster.WaitForAsync("shield", v => v.Runs.Any(r => r.Outcome == ActionStatus.Success), "send the first notice");

        var shielded = await cluster.Action("shield").ShieldAsync();
        Assert.True(shielded.Shielded);
        var sentWhileOpen = shielded.Runs.Count(r => r.Outcome != ActionStatus.Shield);
        await cluster.WaitForAsync("shield", v => v.Runs.Count(r => r.Outcome == ActionStatus.Shield) >= 2, "record two shielded notices");

        await cluster.Action("shield").UnshieldAsync();
        await cluster.WaitForAsync("shield", v => v.Runs.SkipWhile(r => r.Outcome != ActionStatus.Shield).Any(r => r.Outcome == ActionStatus.Success), "send again after unshield");
        await cluster.Action("shield").CloseAsync();
        var done = await cluster.WaitForEndAsync("shield");

        Assert.False(done.Shielded);
        var shieldedRuns = done.Runs.Where(r => r.Outcome == ActionStatus.Shield).ToList();
        Assert.All(shieldedRuns.SelectMany(r => r.Results), w => Assert.Equal((NoticeWayStatus.Shielded, null), (w.Status, w.MessageId)));
        Assert.True(sentWhileOpen >= 1);
        Assert.Equal(done.Runs.Count(r => r.Outcome == ActionStatus.Success), cluster.Deliveries("shield", NotifyChannel.Email).Count);
        Assert.Equal(Enumerable.Range(1, done.Runs.Count), done.Runs.Select(r => r.ExecuteTimes));
    }

    [Fact]
    public async Task UserGroupGrain_PutGetDelete_RoundTrips()
    {
        var group = cluster.Client.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup("g-crud"));
        var stored = await group.PutAsync(new UserGroup { GroupId = "g-crud", Name = " Ops ", Members = ["alice", "Alice", "bob"] });
        Assert.Equal("Ops", stored.Name);
        Assert.Equal(["alice", "bob"], stored.Members);
        var read = await group.GetAsync();
        Assert.Equal((stored.Name, stored.UpdatedAt), (read!.Name, read.UpdatedAt));
        Assert.Equal(stored.Members, read.Members);

        var invalid = await Assert.ThrowsAsync<NotifyRequestException>(() => group.PutAsync(new UserGroup { GroupId = "g-crud", Name = "Ops", Members = [] }));
        Assert.Equal(("members", RequestErrorKind.Invalid), (invalid.Errors[0].Field, invalid.Kind));
        var elsewhere = await Assert.ThrowsAsync<NotifyRequestException>(() => group.PutAsync(stored with { GroupId = "g-other" }));
        Assert.Equal("groupId", elsewhere.Errors[0].Field);

        Assert.True(await group.DeleteAsync());
        Assert.Null(await group.GetAsync());
        Assert.False(await group.DeleteAsync());
    }

    private async Task GroupAsync(string groupId, params string[] members)
    {
        foreach (var member in members)
        {
            await cluster.PutContactAsync(member, phone: "+8613800000000");
        }

        await cluster.PutGroupAsync(groupId, members);
    }

    private async Task AssertFinishedAsync(string actionId)
    {
        var action = cluster.Action(actionId);
        foreach (var signal in new Func<Task>[] { action.AckAsync, action.RecoverAsync, action.CloseAsync, action.ShieldAsync, action.UnshieldAsync })
        {
            var error = await Assert.ThrowsAsync<NotifyRequestException>(signal);
            Assert.Equal((RequestErrorKind.Conflict, "status"), (error.Kind, error.Errors[0].Field));
        }
    }
}
