using System.Text.Json;
using System.Text.Json.Nodes;
using Notify.Client.Cli;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// <c>notify templates …</c> and <c>notify send template</c> against a test host, over the Orleans gateway and, with
/// <c>--gateway</c>, over gRPC (both implementations of the client library).
/// </summary>
public sealed class TemplateCliTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>, IAsyncLifetime
{
    private const string User = "cli-tpl-user";

    private readonly string _folder = Directory.CreateTempSubdirectory("notify-cli-templates-").FullName;

    private NotifyTestHost Host => fixture.Host;

    public async ValueTask InitializeAsync() =>
        await Host.ClusterClient.GetGrain<IContactGrain>(GrainKeys.Contact(User)).PutAsync(new Contact
        {
            Username = User,
            Email = "cli-tpl@example.com",
            WecomUserId = "cli.tpl.wecom",
        });

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    public static TheoryData<string> Routes => ["orleans", "grpc"];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Templates_CreateGetUpdateDeleteThroughFiles_RoundTrip(string route)
    {
        var code = $"IT_CLI_CRUD_{route.ToUpperInvariant()}";
        var file = WriteFile($"{code}.json", $$$"""
            {
              "templateCode": "{{{code}}}",
              "templateName": "部署通知",
              "notifyTypeScope": ["EMAIL", "RTX"],
              "requiredParams": ["app"],
              "contents": [
                {"channel": "EMAIL", "title": "【部署】${app}", "body": "<p>{{ version | default: '?' }}</p>", "format": "HTML"},
                {"channel": "rtx", "title": "【部署】${app}", "body": "版本 ${version}"}
              ]
            }
            """);

        var created = await RunAsync(route, "templates", "create", "--file", file);
        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        Assert.Equal($"created {code} (version 1)", created.Output.Trim());

        var shown = await RunAsync(route, "templates", "get", code.ToLowerInvariant());
        Assert.Equal(ExitCodes.Ok, shown.ExitCode);
        Assert.Contains("── EMAIL (HTML)", shown.Output);
        Assert.Contains("版本 ${version}", shown.Output);

        // get --json is a file that update takes back; its version guards the update.
        var json = await RunAsync(route, "templates", "get", code, "--json");
        var edited = JsonNode.Parse(json.Output)!;
        Assert.Equal("RTX", (string?)edited["contents"]![1]!["channel"]);
        edited["templateName"] = "部署通知(新)";
        var editedFile = WriteFile($"{code}-edited.json", edited.ToJsonString());

        var updated = await RunAsync(route, "templates", "update", "--file", editedFile);
        Assert.True(updated.ExitCode == ExitCodes.Ok, updated.ToString());
        Assert.Equal($"updated {code} (version 2)", updated.Output.Trim());
        var stale = await RunAsync(route, "templates", "update", code, "--file", editedFile);
        Assert.Equal(ExitCodes.Conflict, stale.ExitCode);
        Assert.Contains($"error: version: template {code} is at version 2, not 1", stale.Error);
        var forced = await RunAsync(route, "templates", "update", code, "--file", editedFile, "--expected-version", "2");
        Assert.Equal(ExitCodes.Ok, forced.ExitCode);

        var list = await RunAsync(route, "templates", "list");
        Assert.Matches($@"{code}\s+部署通知\(新\)\s+EMAIL, RTX\s+3", list.Output);
        var listJson = await RunAsync(route, "templates", "list", "--json");
        using (var listed = JsonDocument.Parse(listJson.Output))
        {
            Assert.Contains(listed.RootElement.EnumerateArray(), t => t.GetProperty("templateCode").GetString() == "BUILD_SUCCESS" && t.GetProperty("builtIn").GetBoolean());
        }

        var deleted = await RunAsync(route, "templates", "delete", code);
        Assert.Equal((ExitCodes.Ok, $"deleted template {code}"), (deleted.ExitCode, deleted.Output.Trim()));
        var gone = await RunAsync(route, "templates", "get", code);
        Assert.Equal(ExitCodes.NotFound, gone.ExitCode);
        Assert.Contains($"error: templateCode: no template {code}", gone.Error);
        Assert.Equal(ExitCodes.NotFound, (await RunAsync(route, "templates", "delete", code)).ExitCode);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task TemplatesCreate_BrokenLiquid_Exit3WithLineAndColumn(string route)
    {
        var file = WriteFile($"broken-{route}.json", """
            {"templateCode":"IT_CLI_BROKEN","templateName":"n","notifyTypeScope":["RTX"],
             "contents":[{"channel":"RTX","title":"t","body":"ok\n{% for v in vs %}{{ v }}"}]}
            """);

        var result = await RunAsync(route, "templates", "create", "--file", file);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("error: contents[0].body: line 2, column 1: 'for' is never closed with '{% endfor %}'", result.Error);
    }

    [Fact]
    public async Task TemplatesCreate_FileWithUnknownChannelAndField_Exit3NamingBoth()
    {
        var file = WriteFile("bad-names.json", """
            {"templateCode":"IT_CLI_NAMES","templateName":"n","notifyTypeScope":["RTX","FAX"],
             "contents":[{"channel":"RTX","title":"t","body":"b","colour":"red"}]}
            """);

        var result = await RunAsync("orleans", "templates", "create", "--file", file);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("error: contents[0].colour: unknown field 'colour'", result.Error);
        var names = await RunAsync("orleans", "templates", "create", "--file", WriteFile("bad-channel.json", """{"templateCode":"IT_CLI_NAMES","notifyTypeScope":["FAX"]}"""));
        Assert.Contains("error: notifyTypeScope[0]: 'FAX' is not a channel", names.Error);
    }

    [Theory]
    [InlineData("""{"templateCode":"IT_CLI_JSON",""", "error: file: is not valid JSON (line 1, byte 30)")]
    [InlineData("""["IT_CLI_JSON"]""", "error: file: must hold a JSON object")]
    [InlineData("""{"templateCode":"IT_CLI_JSON","contents":[{"channel":"RTX","title":5}]}""", "error: contents[0].title: has the wrong type")]
    public async Task TemplatesCreate_MalformedFile_Exit3SayingWhere(string json, string expected)
    {
        var result = await RunAsync("orleans", "templates", "create", "--file", WriteFile("malformed.json", json));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith(expected, result.Error);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task TemplatesPreview_Params_PrintsRenderingAndVariables(string route)
    {
        var result = await RunAsync(route, "templates", "preview", "BUILD_SUCCESS", "--params", "projectName=demo", "pipelineName=main", "--title-param", "status=成功", "--channel", "RTX");
        var json = await RunAsync(route, "templates", "preview", "BUILD_SUCCESS", "--param", "projectName=demo", "--channel", "wework_group", "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("── RTX", result.Output);
        Assert.Contains("【BK-CI】demo 流水线构建成功", result.Output);
        Assert.Contains("您的流水线 main 构建成功。", result.Output);
        Assert.Contains("missing variables: buildNum, duration, triggerUser, userName", result.Output);
        using var preview = JsonDocument.Parse(json.Output);
        var robot = Assert.Single(preview.RootElement.GetProperty("channels").EnumerateArray());
        Assert.Equal(("WEWORK", "MARKDOWN"), (robot.GetProperty("channel").GetString(), robot.GetProperty("textType").GetString()));
        Assert.StartsWith("**【BK-CI】demo 流水线构建成功**", robot.GetProperty("body").GetString());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task SendTemplate_SeedExample_DeliveredOnEachChannel(string route)
    {
        var result = await RunAsync(route, "send", "template", "--code", "BUILD_SUCCESS", "--to", User,
            "--title-param", "projectName=my-project", "status=成功",
            "--body-param", "pipelineName=my-pipeline", "buildNum=100", "duration=5分钟",
            "--channel", "EMAIL", "RTX", "--source", $"cli-{route}", "--priority", "high");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var lines = result.Output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^accepted msg_\S+ \(EMAIL\); missing variables: triggerUser, userName$", lines[0].TrimEnd());
        Assert.Matches(@"^accepted msg_\S+ \(RTX\)", lines[1]);
        var rtxId = lines[1].Split(' ')[1];
        var record = await Host.WaitForFinalAsync(rtxId);
        Assert.Equal((MessageStatus.Sent, $"cli-{route}", NotifyPriority.High), (record.Status, record.Message.Source, record.Message.Priority));
        var delivery = Assert.Single(Host.Transport(NotifyChannel.Rtx).Deliveries, d => d.MessageId == rtxId);
        Assert.Equal("cli.tpl.wecom", Assert.Single(delivery.Recipients).Address);
        Assert.Equal("【BK-CI】my-project 流水线构建成功", delivery.Message.Title);
        Assert.Equal("您好,:\n您的流水线 my-pipeline 构建成功。\n构建号:100\n触发人:\n耗时:5分钟", delivery.Message.Body);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task SendTemplate_ChannelOutsideScope_Exit3(string route)
    {
        var result = await RunAsync(route, "send", "template", "--code", "BUILD_SUCCESS", "--to", User, "--channel", "sms");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("error: notifyType: sms not in the scope of template BUILD_SUCCESS", result.Error);
        Assert.Empty(result.Output);
    }

    // A key without a value, an unknown channel, a missing --code, a file that is not there.
    public static TheoryData<string[]> BadCommandLines => new()
    {
        new[] { "send", "template", "--code", "BUILD_SUCCESS", "--to", "u", "--param", "novalue" },
        new[] { "send", "template", "--code", "BUILD_SUCCESS", "--to", "u", "--channel", "fax" },
        new[] { "send", "template", "--to", "u" },
        new[] { "templates", "create", "--file", "/nonexistent/template.json" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task TemplateCommands_BadCommandLine_Exit2(string[] args)
    {
        var result = await RunAsync("orleans", args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
    }

    private string WriteFile(string name, string json)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    private async Task<CliResult> RunAsync(string route, params string[] args)
    {
        string[] where = route == "grpc" ? ["--gateway", $"http://127.0.0.1:{Host.Ports.Grpc}"] : ["--orleans-port", Host.Ports.OrleansGateway.ToString()];
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await NotifyCli.RunAsync([.. args, .. where], output, error, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
