using System.Text.Json;
using System.Text.RegularExpressions;
using Notify.Client.Cli;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Gateway.ActionGatewayRequests;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// <c>notify actions …</c> and <c>notify usergroups …</c> in-process against the real host, once through the Orleans gateway
/// (<c>NotifyClient</c>) and once through the gRPC gateway (<c>NotifyGatewayClient</c>): the client library's two
/// implementations must give the same answers.
/// </summary>
public sealed class ActionCliTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>, IDisposable
{
    private readonly List<string> _files = [];

    private NotifyTestHost Host => fixture.Host;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UserGroupsAndActions_WholeLifeThroughTheCli(bool viaGrpc)
    {
        var (id, group, member) = (Unique("cli-act"), Unique("cli-ops"), Unique("kim"));
        await Host.Http.PutJsonAsync($"/op/notify/contacts/{member}", $$"""{"email":"{{member}}@example.com","wecomUserId":"{{member}}"}""");
        var file = WriteFile(ExampleBody(id, group).With("executeConfig.notifyInterval", "3600").ToJsonString());

        var putGroup = await RunAsync(viaGrpc, "usergroups", "put", group, "--name", "Ops team", member, member.ToUpperInvariant());
        var getGroup = await RunAsync(viaGrpc, "usergroups", "get", group, "--json");
        var created = await RunAsync(viaGrpc, "actions", "create", "--file", file);
        await WaitForAsync(Host.Http, id, a => a.Text("status") == "sleep", "sleep after the first notice");
        var shown = await RunAsync(viaGrpc, "actions", "get", id);
        var json = await RunAsync(viaGrpc, "actions", "get", id, "--json");
        var updated = await RunAsync(viaGrpc, "actions", "update-alert", id, "--file", WriteFile("""{"content":"cpu 99%","level":2,"eventCount":"7"}"""));
        var badUpdate = await RunAsync(viaGrpc, "actions", "update-alert", id, "--file", WriteFile("""{"level":2,"colour":"red"}"""));
        var shielded = await RunAsync(viaGrpc, "actions", "shield", id);
        var unshielded = await RunAsync(viaGrpc, "actions", "unshield", id, "--json");
        var closed = await RunAsync(viaGrpc, "actions", "close", id);
        var ackAfterEnd = await RunAsync(viaGrpc, "actions", "ack", id);
        var deleted = await RunAsync(viaGrpc, "usergroups", "delete", group);
        var deletedAgain = await RunAsync(viaGrpc, "usergroups", "delete", group);

        Assert.True(putGroup.ExitCode == ExitCodes.Ok, putGroup.ToString());
        Assert.Contains("Ops team", putGroup.Output);
        using (var groupJson = JsonDocument.Parse(getGroup.Output))
        {
            Assert.Equal([member], groupJson.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        }

        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        Assert.Contains(id, created.Output);
        Assert.True(shown.ExitCode == ExitCodes.Ok, shown.ToString());
        Assert.Contains("sleep", shown.Output);
        Assert.Contains("3600 s, increasing", shown.Output);
        Assert.True(Regex.IsMatch(shown.Output, @"abnormal\s+1\s+\S+ \S+\s+success\s+mail\s+sent\s+msg_\S+\s+1 sent, 0 failed"), shown.Output);
        using (var action = JsonDocument.Parse(json.Output))
        {
            var root = action.RootElement;
            Assert.Equal("sleep", root.GetProperty("status").GetString());
            Assert.Equal(1, root.GetProperty("executeTimes").GetInt32());
            var result = root.GetProperty("runs")[0].GetProperty("results")[0];
            Assert.Equal(("mail", "sent", "email"), (result.GetProperty("noticeWay").GetString(), result.GetProperty("status").GetString(), result.GetProperty("channel").GetString()));
            Assert.Equal(["abnormal", "ack", "recovered"], root.GetProperty("request").GetProperty("notifyConfig").GetProperty("steps").EnumerateObject().Select(p => p.Name).Order());
        }

        Assert.True(updated.ExitCode == ExitCodes.Ok, updated.ToString());
        Assert.Contains("level 2", updated.Output);
        Assert.Equal(ExitCodes.Invalid, badUpdate.ExitCode);
        Assert.Contains("colour", badUpdate.Error);
        Assert.Matches(@"shielded\s+yes", shielded.Output);
        Assert.False(JsonDocument.Parse(unshielded.Output).RootElement.GetProperty("shielded").GetBoolean());
        Assert.True(closed.ExitCode == ExitCodes.Ok, closed.ToString());
        Assert.Matches(@"stop signal\s+close", closed.Output);
        Assert.Equal(ExitCodes.Conflict, ackAfterEnd.ExitCode);
        Assert.Contains("error: status: ", ackAfterEnd.Error);
        Assert.Equal(ExitCodes.Ok, deleted.ExitCode);
        Assert.Equal(ExitCodes.NotFound, deletedAgain.ExitCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UserGroupsPut_FileWithRulesAndDuty_RoundTripsThroughBothClients(bool viaGrpc)
    {
        var group = Unique("cli-ruled");
        var file = WriteFile("""
            {"name":"Ops","timeZone":"Asia/Shanghai",
             "noticeRules":[{"level":1,"steps":{"abnormal":["voice","sms"]},"timeRanges":["09:00--18:00"]}],
             "duty":{"shifts":[{"members":["ann"]},{"members":["ben","cat"]}],"handOverTimes":["09:00","21:00"],"shiftDays":1,"startDate":"2026-11-23"}}
            """);

        var put = await RunAsync(viaGrpc, "usergroups", "put", group, "--file", file);
        var json = await RunAsync(viaGrpc, "usergroups", "get", group, "--json");
        var bad = await RunAsync(viaGrpc, "usergroups", "put", group, "--file", WriteFile("""{"name":"Ops","members":["a"],"timeZone":"Mars/Olympus"}"""));

        Assert.True(put.ExitCode == ExitCodes.Ok, put.ToString());
        Assert.Contains("level 1", put.Output);
        Assert.Contains("ann → ben+cat", put.Output);
        using (var stored = JsonDocument.Parse(json.Output))
        {
            var root = stored.RootElement;
            Assert.Equal("Asia/Shanghai", root.GetProperty("timeZone").GetString());
            Assert.Equal(["09:00--18:00"], root.GetProperty("noticeRules")[0].GetProperty("timeRanges").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(["ben", "cat"], root.GetProperty("duty").GetProperty("shifts")[1].GetProperty("members").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal("2026-11-23", root.GetProperty("duty").GetProperty("startDate").GetString());
        }

        Assert.Equal(ExitCodes.Invalid, bad.ExitCode);
        Assert.Contains("timeZone", bad.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ActionsGet_Unknown_Exit4(bool viaGrpc)
    {
        var id = Unique("cli-nowhere");

        var result = await RunAsync(viaGrpc, "actions", "get", id);
        var signal = await RunAsync(viaGrpc, "actions", "recover", id);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains($"action {id} does not exist", result.Error);
        Assert.Equal(ExitCodes.NotFound, signal.ExitCode);
        Assert.Contains("error: actionId: ", signal.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ActionsCreate_InvalidValues_Exit3NamingEachField(bool viaGrpc)
    {
        var body = ExampleBody(Unique("cli-bad"), "ops").With("notifyConfig.userGroups", "[]").With("executeConfig.notifyInterval", "-3");

        var result = await RunAsync(viaGrpc, "actions", "create", "--file", WriteFile(body.ToJsonString()));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("error: notifyConfig.userGroups: must list at least one user group", result.Error);
        Assert.Contains("error: executeConfig.notifyInterval: must be between 0 and 604800 seconds (got -3)", result.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ActionsCreate_UserGroupMissing_Exit3FromTheCluster(bool viaGrpc)
    {
        var body = ExampleBody(Unique("cli-nogroup"), Unique("absent"));

        var result = await RunAsync(viaGrpc, "actions", "create", "--file", WriteFile(body.ToJsonString()));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("error: notifyConfig.userGroups[0]: user group ", result.Error);
    }

    [Fact]
    public async Task ActionsCreate_FileWithUnknownField_Exit3NamingThePath()
    {
        var file = WriteFile(ExampleBody(Unique("cli-field"), "ops").With("alert.colour", "\"red\"").ToJsonString());

        var result = await RunAsync(false, "actions", "create", "--file", file);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("$.alert.colour", result.Error);
    }

    [Fact]
    public async Task ActionsCreate_NoSuchFile_Exit2()
    {
        var result = await RunAsync(false, "actions", "create", "--file", Path.Combine(Path.GetTempPath(), Unique("missing") + ".json"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: --file: cannot read", result.Error);
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string WriteFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), Unique("action") + ".json");
        File.WriteAllText(path, json);
        _files.Add(path);
        return path;
    }

    private async Task<CliResult> RunAsync(bool viaGrpc, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] where = viaGrpc ? ["--gateway", $"http://127.0.0.1:{Host.Ports.Grpc}"] : ["--orleans-port", Host.Ports.OrleansGateway.ToString()];
        var exitCode = await NotifyCli.RunAsync([.. args, .. where], output, error, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
