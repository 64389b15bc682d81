using System.Net;
using System.Text.Json;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Gateway.ActionGatewayRequests;

namespace Notify.IntegrationTests.Gateway;

/// <summary><c>/service/actions</c> and <c>/op/notify/usergroups</c> over real HTTP against the real host.</summary>
public sealed class ActionRestTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    private HttpClient Http => Host.Http;

    [Fact]
    public async Task Create_DesignExampleBody_FirstNoticeSentThenSleepsUntilTheNextRepeat()
    {
        var (id, group) = (Unique("act"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("alice"));

        var created = await CreateAsync(Http, ExampleBody(id, group));
        var action = await WaitForAsync(Http, id, a => a.Text("status") == "sleep", "sleep after the first notice");

        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
        Assert.Equal(0, created.Status);
        Assert.Equal($"/service/actions/{id}", created.Raw.Headers.Location?.OriginalString);
        Assert.Equal(id, created.Data.Text("actionId"));
        Assert.Equal(1, action.GetProperty("executeTimes").GetInt32());
        Assert.Equal(JsonValueKind.Null, action.GetProperty("failureType").ValueKind);
        // The first repeat of 7200 s increasing is due 7200 s after the first notice started.
        var started = action.GetProperty("runs")[0].GetProperty("startedAt").GetDateTimeOffset();
        Assert.Equal(started.AddSeconds(7200), action.GetProperty("nextNotifyTime").GetDateTimeOffset());
        Assert.Equal("success", action.GetProperty("runs")[0].Text("outcome"));
        Assert.Equal(["mail", "rtx"], action.GetProperty("noticeResults").GetProperty("abnormal").EnumerateObject().Select(p => p.Name).Order());
        var mail = Assert.Single(action.Results("abnormal", "mail"));
        Assert.Equal(("sent", "email", 1, 1), (mail.Text("status"), mail.Text("channel"), mail.GetProperty("executeTimes").GetInt32(), mail.GetProperty("sent").GetInt32()));
        Assert.Equal($"action:{id}/abnormal/1/mail", mail.Text("reference"));
        Assert.Contains(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == mail.Text("messageId"));
        Assert.Equal("sent", Assert.Single(action.Results("abnormal", "rtx")).Text("status"));
        // The configuration comes back in the create body's shape and spelling.
        Assert.Equal("ABNORMAL", action.GetProperty("alert").Text("status"));
        Assert.Equal("h1", action.GetProperty("alert").GetProperty("dimensions").Text("host"));
        Assert.Equal("increasing", action.GetProperty("executeConfig").Text("intervalNotifyMode"));
        Assert.Equal(600, action.GetProperty("executeConfig").GetProperty("failedRetry").GetProperty("timeout").GetInt32());
        Assert.Equal([group], action.GetProperty("notifyConfig").GetProperty("userGroups").EnumerateArray().Select(g => g.GetString()));

        var closed = await SignalAsync(Http, id, "close");
        Assert.Equal("close", closed.Data.Text("stopSignal"));
    }

    [Fact]
    public async Task Create_SameIdAgain_SameBodyReturnsTheInstanceAndDifferentBodyIs409()
    {
        var (id, group) = (Unique("idem"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("bob"));
        var first = await CreateAsync(Http, ExampleBody(id, group));
        await WaitForAsync(Http, id, a => a.Text("status") == "sleep", "sleep after the first notice");

        var again = await CreateAsync(Http, ExampleBody(id, group));
        var different = await CreateAsync(Http, ExampleBody(id, group).With("alert.content", "\"cpu 99%\""));
        var action = (await Http.GetJsonAsync($"/service/actions/{id}")).Data;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(again.StatusCode == HttpStatusCode.OK, again.ToString());
        Assert.Equal(first.Data.GetProperty("createdAt").GetDateTimeOffset(), again.Data.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Equal(409, different.Status);
        Assert.Equal(["actionId"], different.ErrorFields);
        Assert.Contains("already exists with a different body", different.Message);
        // Neither replay sent anything more.
        Assert.Equal(1, action.GetProperty("executeTimes").GetInt32());
        Assert.Single(Host.Transport(NotifyChannel.Email).Deliveries, d => d.Message.Reference.StartsWith($"action:{id}/", StringComparison.Ordinal));
        await SignalAsync(Http, id, "close");
    }

    // Each case changes DESIGN.md's example in one place (null removes the field) and names the field refused.
    [Theory]
    [InlineData("notifyConfig.steps.abnormal", """["mail","fax"]""", "notifyConfig.steps.abnormal[1]", "'fax' is not a notice way")]
    [InlineData("notifyConfig.steps.abnormal", """["rtx|chat-1"]""", "notifyConfig.steps.abnormal[0]", "only wxwork-bot takes a '|<chatid>' part")]
    [InlineData("notifyConfig.userGroups", "[]", "notifyConfig.userGroups", "must list at least one user group")]
    [InlineData("notifyConfig.userGroups", null, "notifyConfig.userGroups", "must list at least one user group")]
    [InlineData("notifyConfig.userGroups", """["no-such-group"]""", "notifyConfig.userGroups[0]", "user group 'no-such-group' does not exist")]
    [InlineData("notifyConfig.steps", """{"recovered":["mail"]}""", "notifyConfig.steps.abnormal", "must list at least one notice way")]
    [InlineData("notifyConfig.steps.later", """["mail"]""", "notifyConfig.steps.later", "unknown step 'later'")]
    [InlineData("notifyConfig.steps.execute", """["mail"]""", "notifyConfig.steps.execute", "execution steps belong to non-notice actions")]
    [InlineData("executeConfig.notifyInterval", "-5", "executeConfig.notifyInterval", "must be between 0 and 604800 seconds (got -5)")]
    [InlineData("executeConfig.notifyInterval", "99999999999", "executeConfig.notifyInterval", "must be between 0 and 604800 seconds (got 2147483647)")]
    [InlineData("executeConfig.notifyInterval", "\"864000\"", "executeConfig.notifyInterval", "must be between 0 and 604800 seconds (got 864000)")]
    [InlineData("executeConfig.notifyInterval", "true", "executeConfig.notifyInterval", "expected an integer")]
    [InlineData("executeConfig.intervalNotifyMode", "\"sometimes\"", "executeConfig.intervalNotifyMode", "must be standard or increasing")]
    [InlineData("executeConfig.failedRetry.retryInterval", "0", "executeConfig.failedRetry.retryInterval", "must be between 1 and 86400 seconds")]
    [InlineData("executeConfig.failedRetry.maxRetryTimes", "11", "executeConfig.failedRetry.maxRetryTimes", "must be between 0 and 10 retries")]
    [InlineData("executeConfig.failedRetry.attempts", "3", "executeConfig.failedRetry.attempts", "unknown field 'attempts'")]
    [InlineData("alert.colour", "\"red\"", "alert.colour", "unknown field 'colour'")]
    [InlineData("alert.level", "\"high\"", "alert.level", "expected an integer")]
    [InlineData("alert.level", "4", "alert.level", "must be 1 (fatal), 2 (warning) or 3 (remind)")]
    [InlineData("alert.status", "\"RECOVERED\"", "alert.status", "starts for an ABNORMAL alert")]
    [InlineData("alert.status", "\"ON_FIRE\"", "alert.status", "must be ABNORMAL, RECOVERED or CLOSED")]
    [InlineData("alert.beginTime", "\"yesterday\"", "alert.beginTime", "expected an ISO 8601 time")]
    [InlineData("alert.beginTime", null, "alert.beginTime", "is required")]
    [InlineData("alert.dimensions", """{"host":7}""", "alert.dimensions.host", "expected a string")]
    [InlineData("actionId", "\"has space\"", "actionId", "must be 1-64 of letters, digits")]
    [InlineData("mode", "\"fast\"", "mode", "unknown field 'mode'")]
    public async Task Create_BadInput_Returns400NamingTheFieldAndLeavesNothingBehind(string path, string? json, string field, string reason)
    {
        var (id, group) = (Unique("bad"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("carol"));
        var body = ExampleBody(id, group).With(path, json);

        var response = await CreateAsync(Http, body);
        var after = await Http.GetJsonAsync($"/service/actions/{id}");

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, response.ToString());
        Assert.Equal(400, response.Status);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
        Assert.Equal(JsonValueKind.Null, response.Data.ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.DoesNotContain(Host.Transport(NotifyChannel.Email).Deliveries, d => d.Message.Reference.StartsWith($"action:{id}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_SeveralBadFields_ReportsThemAllAtOnce()
    {
        var body = ExampleBody(Unique("many"), "ops")
            .With("notifyConfig.userGroups", "[]")
            .With("notifyConfig.steps.abnormal", """["pigeon"]""")
            .With("executeConfig.notifyInterval", "-1");

        var response = await CreateAsync(Http, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["executeConfig.notifyInterval", "notifyConfig.steps.abnormal[0]", "notifyConfig.userGroups"], response.ErrorFields.Order());
    }

    // bk-monitor's int(notify_interval): integer text is read like a number.
    [Theory]
    [InlineData("\"7200\"", 7200)]
    [InlineData("\" 300 \"", 300)]
    [InlineData("0", 0)]
    public async Task Create_NotifyIntervalAsIntegerText_ReadAsPythonInt(string json, int seconds)
    {
        var (id, group) = (Unique("interval"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("dan"));

        var created = await CreateAsync(Http, ExampleBody(id, group).With("executeConfig.notifyInterval", json));

        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
        Assert.Equal(seconds, created.Data.GetProperty("executeConfig").GetProperty("notifyInterval").GetInt32());
        var settled = await WaitForAsync(Http, id, a => a.Text("status") is "sleep" or "success", "settle after the first notice");
        Assert.Equal(seconds > 0 ? "sleep" : "success", settled.Text("status"));
        if (seconds > 0)
        {
            await SignalAsync(Http, id, "close");
        }
    }

    // Every numeric field: text that is not an integer, a fraction, a wrong type, or a value outside its limits is a
    // 400 naming that field, and nothing is created (int() would raise on these; the seed falls back to 0 only when missing).
    [Theory]
    [InlineData("executeConfig.notifyInterval", "\"abc\"")]
    [InlineData("executeConfig.notifyInterval", "\"7200.5\"")]
    [InlineData("executeConfig.notifyInterval", "7200.5")]
    [InlineData("executeConfig.notifyInterval", "\"\"")]
    [InlineData("executeConfig.notifyInterval", "true")]
    [InlineData("executeConfig.notifyInterval", "-60")]
    [InlineData("executeConfig.notifyInterval", "604801")]
    [InlineData("executeConfig.notifyInterval", "1e40")]
    [InlineData("alert.level", "\"abc\"")]
    [InlineData("alert.level", "1.5")]
    [InlineData("alert.level", "7")]
    [InlineData("executeConfig.failedRetry.maxRetryTimes", "\"2.5\"")]
    [InlineData("executeConfig.failedRetry.maxRetryTimes", "-1")]
    [InlineData("executeConfig.failedRetry.retryInterval", "\"soon\"")]
    [InlineData("executeConfig.failedRetry.retryInterval", "0")]
    [InlineData("executeConfig.failedRetry.timeout", "\"600s\"")]
    [InlineData("executeConfig.failedRetry.timeout", "86401")]
    [InlineData("executeConfig.delay", "\"later\"")]
    [InlineData("executeConfig.delay", "-1")]
    [InlineData("notifyConfig.frequencyLimit", "\"ten\"")]
    [InlineData("notifyConfig.frequencyLimit", "100000")]
    [InlineData("alert.eventCount", "-1")]
    [InlineData("alert.eventCount", "\"many\"")]
    public async Task Create_BadNumber_IsRefusedNamingTheField(string field, string json)
    {
        var id = Unique("bad-number");

        var response = await CreateAsync(Http, ExampleBody(id, "ops").With(field, json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], response.ErrorFields);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetJsonAsync($"/service/actions/{id}")).StatusCode);
    }

    [Fact]
    public async Task PatchAlert_BetweenRepeats_TheNextNoticeRendersTheUpdatedAlert()
    {
        var (id, group) = (Unique("patch"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("gus"));
        var body = ExampleBody(id, group)
            .With("executeConfig.notifyInterval", "2")
            .With("executeConfig.intervalNotifyMode", "\"standard\"");
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync(Http, body)).StatusCode);
        await WaitForAsync(Http, id, a => a.Results("abnormal", "mail").Length >= 1, "send the first notice");

        var patched = await Http.SendJsonAsync(HttpMethod.Patch, $"/service/actions/{id}/alert",
            """{"content":"cpu 99% on h2","level":2,"dimensions":{"host":"h2"},"latestAnomalyTime":"2026-11-23T00:05:00Z","eventCount":4}""");

        Assert.True(patched.StatusCode == HttpStatusCode.OK, patched.ToString());
        var alert = patched.Data.GetProperty("alert");
        Assert.Equal(("cpu 99% on h2", 2, "h2", 4), (alert.Text("content"), alert.GetProperty("level").GetInt32(), alert.GetProperty("dimensions").Text("host"), alert.GetProperty("eventCount").GetInt32()));
        var repeated = await WaitForAsync(Http, id, a => a.Results("abnormal", "mail").Any(r => r.Text("status") == "sent" && IsAfterPatch(r)), "send a repeat after the update");
        var mail = repeated.Results("abnormal", "mail").First(IsAfterPatch);
        var delivery = Host.Transport(NotifyChannel.Email).Deliveries.Single(d => d.MessageId == mail.Text("messageId"));
        Assert.Contains("cpu 99% on h2", delivery.Message.Body);
        await SignalAsync(Http, id, "close");

        bool IsAfterPatch(JsonElement result) => result.GetProperty("submittedAt").ValueKind != JsonValueKind.Null
            && result.GetProperty("submittedAt").GetDateTimeOffset() >= patched.Data.GetProperty("updatedAt").GetDateTimeOffset();
    }

    [Fact]
    public async Task PatchAlert_LevelChangeWithNotifyOnLevelChange_NotifiesAtOnce()
    {
        var (id, group) = (Unique("level"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("hal"));
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync(Http, ExampleBody(id, group).With("executeConfig.notifyOnLevelChange", "true"))).StatusCode);
        await WaitForAsync(Http, id, a => a.Text("status") == "sleep", "sleep after the first notice");

        var patched = await Http.SendJsonAsync(HttpMethod.Patch, $"/service/actions/{id}/alert", """{"level":2}""");

        Assert.True(patched.StatusCode == HttpStatusCode.OK, patched.ToString());
        var notified = await WaitForAsync(Http, id, a => a.GetProperty("runs").GetArrayLength() == 2 && a.Text("status") == "sleep", "send the level-change notice");
        Assert.Equal([1, 2], notified.Results("abnormal", "mail").Select(r => r.GetProperty("executeTimes").GetInt32()));
        Assert.True(notified.GetProperty("executeConfig").GetProperty("notifyOnLevelChange").GetBoolean());
        await SignalAsync(Http, id, "close");
    }

    [Fact]
    public async Task Repeat_RequireNewAnomalyWithoutOne_RecordedSkippedWithItsReasonUntilAnUpdateBringsOne()
    {
        var (id, group) = (Unique("stale"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("pia"));
        var body = ExampleBody(id, group)
            .With("executeConfig.notifyInterval", "1")
            .With("executeConfig.intervalNotifyMode", "\"standard\"")
            .With("executeConfig.requireNewAnomaly", "true");
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync(Http, body)).StatusCode);

        var skipped = await WaitForAsync(Http, id, a => a.GetProperty("runs").EnumerateArray().Any(r => r.Text("outcome") == "skipped"), "skip a repeat with nothing new");
        var skip = skipped.GetProperty("runs").EnumerateArray().First(r => r.Text("outcome") == "skipped");
        Assert.Contains("no anomaly point newer", skip.Text("skipReason"));
        Assert.Single(skipped.Results("abnormal", "mail"));

        var patched = await Http.SendJsonAsync(HttpMethod.Patch, $"/service/actions/{id}/alert", """{"eventCount":2}""");
        Assert.True(patched.StatusCode == HttpStatusCode.OK, patched.ToString());
        var repeated = await WaitForAsync(Http, id, a => a.Results("abnormal", "mail").Count(r => r.Text("status") == "sent") >= 2, "send the repeat once the alert has a new anomaly point");
        Assert.Equal(2, repeated.Results("abnormal", "mail").Count(r => r.Text("status") == "sent"));
        await SignalAsync(Http, id, "close");
    }

    [Fact]
    public async Task PatchAlert_RecoveredAlert_Is409AndUnknownInstance404()
    {
        var (id, group) = (Unique("recovered"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("ivy"));
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync(Http, ExampleBody(id, group))).StatusCode);
        await WaitForAsync(Http, id, a => a.Text("status") == "sleep", "sleep after the first notice");
        await SignalAsync(Http, id, "recover");

        var conflict = await Http.SendJsonAsync(HttpMethod.Patch, $"/service/actions/{id}/alert", """{"content":"late"}""");
        var missing = await Http.SendJsonAsync(HttpMethod.Patch, $"/service/actions/{Unique("never")}/alert", """{"content":"x"}""");

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("""{}""", "body")]
    [InlineData("""{"level":"high"}""", "level")]
    [InlineData("""{"level":5}""", "level")]
    [InlineData("""{"eventCount":-3}""", "eventCount")]
    [InlineData("""{"eventCount":"2.5"}""", "eventCount")]
    [InlineData("""{"latestAnomalyTime":"yesterday"}""", "latestAnomalyTime")]
    [InlineData("""{"colour":"red"}""", "colour")]
    public async Task PatchAlert_BadBody_Is400NamingTheField(string json, string field)
    {
        var response = await Http.SendJsonAsync(HttpMethod.Patch, $"/service/actions/{Unique("bad-patch")}/alert", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], response.ErrorFields);
    }

    [Fact]
    public async Task Get_RepeatingInstance_HistoryPerStepAndWayThenRecoverEndsIt()
    {
        var (id, group) = (Unique("history"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("erin"));
        var body = ExampleBody(id, group)
            .With("executeConfig.notifyInterval", "1")
            .With("executeConfig.intervalNotifyMode", "\"standard\"");
        Assert.Equal(HttpStatusCode.OK, (await CreateAsync(Http, body)).StatusCode);

        var repeated = await WaitForAsync(Http, id, a => a.Results("abnormal", "mail").Count(r => r.Text("status") == "sent") >= 2, "send the abnormal notice twice");
        var recovered = await SignalAsync(Http, id, "recover");
        var done = await WaitForAsync(Http, id, a => a.GetProperty("endTime").ValueKind != JsonValueKind.Null, "end after the recovered notice");

        Assert.Equal([1, 2], repeated.Results("abnormal", "mail").Take(2).Select(r => r.GetProperty("executeTimes").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal("recover", recovered.Data.Text("stopSignal"));
        Assert.Equal("RECOVERED", recovered.Data.GetProperty("alert").Text("status"));
        Assert.Equal("success", done.Text("status"));
        Assert.Equal(JsonValueKind.Null, done.GetProperty("nextNotifyTime").ValueKind);
        var notice = Assert.Single(done.Results("recovered", "mail"));
        Assert.Equal("sent", notice.Text("status"));
        Assert.Equal(done.GetProperty("executeTimes").GetInt32(), notice.GetProperty("executeTimes").GetInt32());
        Assert.Equal("recovered", done.GetProperty("runs").EnumerateArray().Last().Text("step"));
        Assert.Equal(done.GetProperty("runs").GetArrayLength(), done.GetProperty("executeTimes").GetInt32());
    }

    [Fact]
    public async Task Signals_AckThenAnySignalOnTheFinishedInstance_409()
    {
        var (id, group) = (Unique("ack"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("fay"));
        await CreateAsync(Http, ExampleBody(id, group));
        await WaitForAsync(Http, id, a => a.Text("status") == "sleep", "sleep after the first notice");

        var shielded = await SignalAsync(Http, id, "shield");
        var unshielded = await SignalAsync(Http, id, "unshield");
        // The ack notice is held in its transport, so the repeated ack meets the instance still sending it.
        var email = Host.Transport(NotifyChannel.Email);
        email.Hold();
        RestResponse acked, ackedAgain;
        try
        {
            acked = await SignalAsync(Http, id, "ack");
            ackedAgain = await SignalAsync(Http, id, "ack");
        }
        finally
        {
            email.Release();
        }

        var done = await WaitForAsync(Http, id, a => a.GetProperty("endTime").ValueKind != JsonValueKind.Null, "end after the ack notice");
        var afterEnd = await Task.WhenAll(new[] { "ack", "recover", "close", "shield", "unshield" }.Select(s => SignalAsync(Http, id, s)));

        Assert.True(shielded.Data.GetProperty("shielded").GetBoolean());
        Assert.False(unshielded.Data.GetProperty("shielded").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, acked.StatusCode);
        Assert.Equal("ack", acked.Data.Text("stopSignal"));
        // The same stop signal again is a no-op, not an error.
        Assert.Equal(HttpStatusCode.OK, ackedAgain.StatusCode);
        Assert.Equal(JsonValueKind.Null, ackedAgain.Data.GetProperty("endTime").ValueKind);
        Assert.Equal("sent", Assert.Single(done.Results("ack", "mail")).Text("status"));
        Assert.All(afterEnd, r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal(["status"], r.ErrorFields);
            Assert.Contains("has finished", r.Message);
        });
    }

    [Theory]
    [InlineData("ack")]
    [InlineData("recover")]
    [InlineData("close")]
    [InlineData("shield")]
    [InlineData("unshield")]
    public async Task Signal_UnknownId_404(string signal)
    {
        var response = await SignalAsync(Http, Unique("nowhere"), signal);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, response.Status);
        Assert.Equal(["actionId"], response.ErrorFields);
    }

    [Fact]
    public async Task Get_UnknownOrMalformedId_404Or400()
    {
        var unknown = await Http.GetJsonAsync($"/service/actions/{Unique("nowhere")}");
        var malformed = await Http.GetJsonAsync("/service/actions/not%20an%20id");
        var query = await Http.GetJsonAsync($"/service/actions/{Unique("q")}?verbose=1");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("does not exist", unknown.Message);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(["actionId"], malformed.ErrorFields);
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
        Assert.Equal(["verbose"], query.ErrorFields);
    }

    [Fact]
    public async Task Signal_WithAField_400()
    {
        var response = await Http.PostJsonAsync($"/service/actions/{Unique("x")}/ack", """{"operator":"bob"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["operator"], response.ErrorFields);
    }

    [Fact]
    public async Task UserGroups_PutGetDelete_RoundTrips()
    {
        var group = Unique("team");

        var put = await Http.PutJsonAsync($"/op/notify/usergroups/{group}", """{"name":" Team A ","members":["alice","bob","Alice"]}""");
        var got = await Http.GetJsonAsync($"/op/notify/usergroups/{group}");
        var replaced = await Http.PutJsonAsync($"/op/notify/usergroups/{group}", """{"name":"Team A","members":["carol"]}""");
        var deleted = await Http.DeleteJsonAsync($"/op/notify/usergroups/{group}", "");
        var gone = await Http.GetJsonAsync($"/op/notify/usergroups/{group}");
        var deletedAgain = await Http.SendJsonAsync(HttpMethod.Delete, $"/op/notify/usergroups/{group}", null);

        Assert.True(put.StatusCode == HttpStatusCode.OK, put.ToString());
        Assert.Equal(group, put.Data.Text("groupId"));
        Assert.Equal("Team A", put.Data.Text("name"));
        Assert.Equal(["alice", "bob"], put.Data.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(put.Data.GetProperty("updatedAt").GetDateTimeOffset(), got.Data.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(["carol"], replaced.Data.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.True(deleted.Data.GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(["groupId"], gone.ErrorFields);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"","members":[]}""", "name", "is required")]
    [InlineData("""{"name":"n","members":[]}""", "members", "at least one username")]
    [InlineData("""{"name":"n","members":["ok","not a user!"]}""", "members[1]", "is not a username")]
    [InlineData("""{"name":"n","members":"alice"}""", "members", "expected an array of strings")]
    [InlineData("""{"name":"n","members":["a"],"groupId":"x"}""", "groupId", "unknown field 'groupId'")]
    [InlineData("""{"name":"n","members":["a"],"timeZone":"Mars/Olympus"}""", "timeZone", "is not a time zone")]
    [InlineData("""{"name":"n","members":["a"],"noticeRules":[{"level":4}]}""", "noticeRules[0].level", "must be 1 (fatal)")]
    [InlineData("""{"name":"n","members":["a"],"noticeRules":[{"level":1,"steps":{"later":["mail"]}}]}""", "noticeRules[0].steps.later", "unknown step")]
    [InlineData("""{"name":"n","members":["a"],"noticeRules":[{"level":1,"timeRanges":["9-5"]}]}""", "noticeRules[0].timeRanges[0]", "is not a time range")]
    [InlineData("""{"name":"n","members":["a"],"noticeRules":[{"level":1,"colour":"red"}]}""", "noticeRules[0].colour", "unknown field")]
    [InlineData("""{"name":"n","duty":{"shifts":[["ann"]],"handOverTimes":["9am"],"startDate":"2026-11-23"}}""", "duty.handOverTimes[0]", "is not a time of day")]
    [InlineData("""{"name":"n","duty":{"shifts":[["ann"]],"handOverTimes":["09:00"],"startDate":"23/11/2026"}}""", "duty.startDate", "is not a date")]
    [InlineData("""{"name":"n","duty":{"shifts":[["ann"]],"handOverTimes":["09:00"],"startDate":"2026-11-23","shiftDays":"weekly"}}""", "duty.shiftDays", "expected an integer")]
    public async Task UserGroups_BadBody_400NamingField(string json, string field, string reason)
    {
        var group = Unique("bad-group");

        var response = await Http.PutJsonAsync($"/op/notify/usergroups/{group}", json);
        var after = await Http.GetJsonAsync($"/op/notify/usergroups/{group}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task UserGroups_MalformedId_400()
    {
        var response = await Http.PutJsonAsync("/op/notify/usergroups/-dash-first", """{"name":"n","members":["a"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["groupId"], response.ErrorFields);
    }

    [Fact]
    public async Task UserGroups_RulesAndDuty_RoundTripInTheBodysShape()
    {
        var group = Unique("ruled");
        const string body = """
            {"name":"Ops","members":[],"timeZone":"Asia/Shanghai",
             "noticeRules":[{"level":1,"steps":{"abnormal":["voice","sms"],"recovered":["sms"]},"timeRanges":["09:00--18:00"]}],
             "duty":{"shifts":[["ann"],["ben","cat"]],"handOverTimes":["09:00","21:00"],"shiftDays":1,"startDate":"2026-11-23"}}
            """;

        var put = await Http.PutJsonAsync($"/op/notify/usergroups/{group}", body);
        var got = await Http.GetJsonAsync($"/op/notify/usergroups/{group}");

        Assert.True(put.StatusCode == HttpStatusCode.OK, put.ToString());
        var data = got.Data;
        Assert.Equal("Asia/Shanghai", data.Text("timeZone"));
        var rule = Assert.Single(data.GetProperty("noticeRules").EnumerateArray());
        Assert.Equal(1, rule.GetProperty("level").GetInt32());
        Assert.Equal(["voice", "sms"], rule.GetProperty("steps").GetProperty("abnormal").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(["09:00--18:00"], rule.GetProperty("timeRanges").EnumerateArray().Select(r => r.GetString()));
        var duty = data.GetProperty("duty");
        Assert.Equal(["ben", "cat"], duty.GetProperty("shifts")[1].EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["09:00", "21:00"], duty.GetProperty("handOverTimes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("2026-11-23", duty.Text("startDate"));
    }

    [Fact]
    public async Task Action_GroupRuleAndDuty_TheGroupsWaysReachTheShiftOnDutyNotTheMembers()
    {
        var (id, group, onCall, member) = (Unique("duty"), Unique("oncall"), Unique("olga"), Unique("mona"));
        await PutGroupAsync(Http, group, member, onCall);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var put = await Http.PutJsonAsync($"/op/notify/usergroups/{group}", $$$"""
            {"name":"On call","members":["{{{member}}}"],
             "noticeRules":[{"level":1,"steps":{"abnormal":["mail"]}}],
             "duty":{"shifts":[["{{{onCall}}}"]],"handOverTimes":["00:00"],"startDate":"{{{today}}}"}}
            """);
        Assert.True(put.StatusCode == HttpStatusCode.OK, put.ToString());

        var created = await CreateAsync(Http, ExampleBody(id, group).With("notifyConfig.steps", """{"recovered":["mail"]}"""));
        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
        var action = await WaitForAsync(Http, id, a => a.Text("status") == "sleep", "sleep after the first notice");

        var mail = Assert.Single(action.Results("abnormal", "mail"));
        var delivery = Host.Transport(NotifyChannel.Email).Deliveries.Single(d => d.MessageId == mail.Text("messageId"));
        Assert.Equal([$"{onCall}@example.com"], delivery.Recipients.Select(r => r.Address));
        Assert.Empty(action.Results("abnormal", "rtx"));
        await SignalAsync(Http, id, "close");
    }

    [Fact]
    public async Task Action_EveryGroupsTimeRangeClosed_WaitsUntilTheRangeOpens()
    {
        var (id, group, member) = (Unique("range"), Unique("office"), Unique("nora"));
        await PutGroupAsync(Http, group, member);
        var now = DateTimeOffset.UtcNow;
        var opens = now.AddHours(2);
        var range = $"{opens:HH:mm}--{now.AddHours(3):HH:mm}";
        var put = await Http.PutJsonAsync($"/op/notify/usergroups/{group}", $$$"""{"name":"Office","members":["{{{member}}}"],"noticeRules":[{"level":1,"timeRanges":["{{{range}}}"]}]}""");
        Assert.True(put.StatusCode == HttpStatusCode.OK, put.ToString());

        var created = await CreateAsync(Http, ExampleBody(id, group));
        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
        var waiting = await WaitForAsync(Http, id, a => a.Text("status") == "waiting", "wait for the time range");

        var expected = new DateTimeOffset(opens.Year, opens.Month, opens.Day, opens.Hour, opens.Minute, 0, TimeSpan.Zero);
        Assert.Equal(expected, waiting.GetProperty("nextNotifyTime").GetDateTimeOffset());
        Assert.Empty(waiting.GetProperty("runs").EnumerateArray());
        var closed = await SignalAsync(Http, id, "close");
        Assert.True(closed.StatusCode == HttpStatusCode.OK, closed.ToString());
        var done = await WaitForAsync(Http, id, a => a.GetProperty("endTime").ValueKind != JsonValueKind.Null, "end: close has no notice ways");
        Assert.Equal("skipped", done.Text("status"));
    }

    [Fact]
    public async Task Action_Delay_WaitsThenSendsTheFirstNotice()
    {
        var (id, group) = (Unique("delay"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("otto"));

        var created = await CreateAsync(Http, ExampleBody(id, group).With("executeConfig.delay", "2"));

        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
        Assert.Equal("waiting", created.Data.Text("status"));
        Assert.Equal(created.Data.GetProperty("createdAt").GetDateTimeOffset().AddSeconds(2), created.Data.GetProperty("nextNotifyTime").GetDateTimeOffset());
        var sent = await WaitForAsync(Http, id, a => a.Text("status") == "sleep", "send the first notice after the delay");
        Assert.True(sent.GetProperty("runs")[0].GetProperty("startedAt").GetDateTimeOffset() >= created.Data.GetProperty("createdAt").GetDateTimeOffset().AddSeconds(2));
        await SignalAsync(Http, id, "close");
    }
}
