using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

/// <summary>The template endpoints over REST: /op/notify/templates, /service/notify/template/send and the build notify path.</summary>
public sealed class TemplateRestTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>, IAsyncLifetime
{
    private const string User = "user1";

    private NotifyTestHost Host => fixture.Host;

    /// <summary>user1 resolves on e-mail and RTX, as in the seed's example.</summary>
    public async ValueTask InitializeAsync()
    {
        var contact = await Host.Http.PutJsonAsync($"/op/notify/contacts/{User}", """{"email":"user1@example.com","wecomUserId":"user1.wecom"}""");
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A template with every JSON feature: Liquid, BK-CI placeholders, HTML e-mail, a required parameter.</summary>
    private static string Deploy(string code, string? emailBody = null) => JsonSerializer.Serialize(new
    {
        templateCode = code,
        templateName = "部署通知",
        notifyTypeScope = new[] { "EMAIL", "rtx", "SMS" },
        priority = 1,
        source = "deployer",
        requiredParams = new[] { "app" },
        contents = new object[]
        {
            new { channel = "EMAIL", title = "【部署】${app} {{ env | upcase }}", body = emailBody ?? "<p>您好 ${userName}</p><p>版本 #{version}</p>", format = "HTML" },
            new { channel = "RTX", title = "【部署】${app}", body = "版本 ${version} 已部署到 {{ env }}" },
            new { channel = "SMS", body = "${app} ${version} → {{ env }}" },
        },
    });

    [Fact]
    public async Task Templates_CreateGetListUpdateDelete_RoundTrip()
    {
        var created = await Host.Http.PostJsonAsync("/op/notify/templates", Deploy("it_rest_crud"));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(0, created.Status);
        Assert.Equal("/op/notify/templates/IT_REST_CRUD", created.Raw.Headers.Location?.OriginalString);
        Assert.Equal("IT_REST_CRUD", created.Data.GetProperty("templateCode").GetString());
        Assert.Equal(1, created.Data.GetProperty("version").GetInt64());
        Assert.Equal(["EMAIL", "RTX", "SMS"], created.Data.GetProperty("notifyTypeScope").EnumerateArray().Select(c => c.GetString()));
        Assert.False(created.Data.GetProperty("builtIn").GetBoolean());

        var got = await Host.Http.GetJsonAsync("/op/notify/templates/it_rest_crud");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        var email = got.Data.GetProperty("contents")[0];
        Assert.Equal(("EMAIL", "HTML", "<p>您好 ${userName}</p><p>版本 #{version}</p>"), (email.GetProperty("channel").GetString(), email.GetProperty("format").GetString(), email.GetProperty("body").GetString()));
        Assert.Equal(1, got.Data.GetProperty("priority").GetInt32());

        var listed = await Host.Http.GetJsonAsync("/op/notify/templates");
        var summary = Assert.Single(listed.Data.EnumerateArray(), t => t.GetProperty("templateCode").GetString() == "IT_REST_CRUD");
        Assert.Equal(1, summary.GetProperty("version").GetInt64());
        Assert.Contains(listed.Data.EnumerateArray(), t => t.GetProperty("templateCode").GetString() == "BUILD_SUCCESS" && t.GetProperty("builtIn").GetBoolean());

        // The GET answer goes back as it is (read-only fields included); its version guards the update.
        var edited = JsonNode.Parse(got.Data.GetRawText())!;
        edited["templateName"] = "部署通知(新)";
        var updated = await Host.Http.PutJsonAsync("/op/notify/templates/IT_REST_CRUD", edited.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal((2L, "部署通知(新)"), (updated.Data.GetProperty("version").GetInt64(), updated.Data.GetProperty("templateName").GetString()));

        var stale = await Host.Http.PutJsonAsync("/op/notify/templates/IT_REST_CRUD", edited.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(["version"], stale.ErrorFields);
        Assert.Contains("is at version 2, not 1", stale.Message);

        var deleted = await Host.Http.SendJsonAsync(HttpMethod.Delete, "/op/notify/templates/it_rest_crud", null);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(deleted.Data.GetBoolean());
        var gone = await Host.Http.GetJsonAsync("/op/notify/templates/IT_REST_CRUD");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(["templateCode"], gone.ErrorFields);
        var deletedAgain = await Host.Http.SendJsonAsync(HttpMethod.Delete, "/op/notify/templates/IT_REST_CRUD", null);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Fact]
    public async Task CreateTemplate_ExistingCode_Returns409()
    {
        Assert.Equal(HttpStatusCode.OK, (await Host.Http.PostJsonAsync("/op/notify/templates", Deploy("IT_REST_DUP"))).StatusCode);

        var again = await Host.Http.PostJsonAsync("/op/notify/templates", Deploy("it_rest_dup"));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(409, again.Status);
        Assert.Equal(["templateCode"], again.ErrorFields);
        Assert.Contains("already exists", again.Message);
    }

    [Fact]
    public async Task UpdateTemplate_Missing_Returns404AndBodyOfAnotherCode_Returns400()
    {
        var missing = await Host.Http.PutJsonAsync("/op/notify/templates/IT_REST_NOBODY", Deploy("IT_REST_NOBODY"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await Host.Http.PostJsonAsync("/op/notify/templates", Deploy("IT_REST_PATH"));
        var otherCode = await Host.Http.PutJsonAsync("/op/notify/templates/IT_REST_PATH", Deploy("IT_REST_ELSEWHERE"));
        Assert.Equal(HttpStatusCode.BadRequest, otherCode.StatusCode);
        Assert.Equal(["templateCode"], otherCode.ErrorFields);
    }

    [Fact]
    public async Task CreateTemplate_BrokenLiquid_Returns400WithLineAndColumnAndSavesNothing()
    {
        var response = await Host.Http.PostJsonAsync("/op/notify/templates", Deploy("IT_REST_BROKEN", emailBody: "<p>ok</p>\n<p>{% for v in versions %}{{ v }}</p>"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["contents[0].body"], response.ErrorFields);
        Assert.Equal("contents[0].body: line 2, column 4: 'for' is never closed with '{% endfor %}'", response.Message);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Http.GetJsonAsync("/op/notify/templates/IT_REST_BROKEN")).StatusCode);
    }

    // What JSON alone can say is refused by the gateway; the rest by the grain's validator. Either way: 400 naming the field.
    [Theory]
    [InlineData("""{"templateCode":"IT_REST_V1","templateName":"n","notifyTypeScope":["EMAIL","FAX"],"contents":[{"channel":"EMAIL","title":"t","body":"b"}]}""", "notifyTypeScope[1]", "'FAX' is not a channel")]
    [InlineData("""{"templateCode":"IT_REST_V2","templateName":"n","notifyTypeScope":["RTX"],"contents":[{"channel":"RTX","title":"t","body":"b","colour":"red"}]}""", "contents[0].colour", "unknown field 'colour'")]
    [InlineData("""{"templateCode":"IT_REST_V3","templateName":"n","notifyTypeScope":["RTX"],"contents":[{"channel":"RTX","title":7,"body":"b"}]}""", "contents[0].title", "expected a string")]
    [InlineData("""{"templateCode":"IT_REST_V4","templateName":"n","notifyTypeScope":["RTX","SMS"],"contents":[{"channel":"RTX","title":"t","body":"b"}]}""", "notifyTypeScope[1]", "sms has no entry in contents")]
    [InlineData("""{"templateCode":"IT_REST_V5","templateName":"n","notifyTypeScope":["RTX"],"contents":[{"channel":"RTX","title":"{{ a | nosuchfilter }}","body":"b"}]}""", "contents[0].title", "line 1, column 1")]
    [InlineData("""{"templateCode":"9lives","templateName":"n","notifyTypeScope":["RTX"],"contents":[{"channel":"RTX","title":"t","body":"b"}]}""", "templateCode", "must be a letter")]
    [InlineData("""{"templateName":"n","notifyTypeScope":["RTX"],"contents":[{"channel":"RTX","title":"t","body":"b"}]}""", "templateCode", "is required")]
    [InlineData("""{"templateCode":"IT_REST_V8","templateName":"n","notifyTypeScope":["RTX"],"contents":[{"channel":"RTX","title":"t","body":"b"}],"owner":"x"}""", "owner", "unknown field 'owner'")]
    public async Task CreateTemplate_InvalidBody_Returns400NamingField(string json, string field, string reason)
    {
        var response = await Host.Http.PostJsonAsync("/op/notify/templates", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    [Fact]
    public async Task CreateTemplate_OversizedBody_Returns400NamingLimit()
    {
        var json = JsonSerializer.Serialize(new
        {
            templateCode = "IT_REST_HUGE",
            templateName = "n",
            notifyTypeScope = new[] { "RTX" },
            contents = new[] { new { channel = "RTX", title = "t", body = new string('x', 65_537) } },
        });

        var response = await Host.Http.PostJsonAsync("/op/notify/templates", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["contents[0].body"], response.ErrorFields);
        Assert.Contains("is 65537 characters; at most 65536 are allowed", response.Message);
    }

    [Fact]
    public async Task PreviewTemplate_Params_ListsUsedAndMissingVariables()
    {
        await Host.Http.PostJsonAsync("/op/notify/templates", Deploy("IT_REST_PREVIEW"));

        var response = await Host.Http.PostJsonAsync("/op/notify/templates/it_rest_preview/preview",
            """{"titleParams":{"env":"prod"},"bodyParams":{"userName":"<b>alice</b>","version":100},"notifyType":["EMAIL","SMS"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = response.Data;
        Assert.Equal("IT_REST_PREVIEW", data.GetProperty("templateCode").GetString());
        var channels = data.GetProperty("channels");
        Assert.Equal(["EMAIL", "SMS"], channels.EnumerateArray().Select(c => c.GetProperty("channel").GetString()));
        Assert.Equal("【部署】 PROD", channels[0].GetProperty("title").GetString());
        Assert.Equal("<p>您好 &lt;b&gt;alice&lt;/b&gt;</p><p>版本 100</p>", channels[0].GetProperty("body").GetString());
        Assert.Equal("HTML", channels[0].GetProperty("format").GetString());
        Assert.Equal(" 100 → prod", channels[1].GetProperty("body").GetString());
        Assert.Equal(["app", "env", "userName", "version"], data.GetProperty("variablesUsed").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["app"], data.GetProperty("missingVariables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["app"], data.GetProperty("missingRequiredParams").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("/op/notify/templates/IT_REST_NO_SUCH/preview", """{}""", HttpStatusCode.NotFound, "templateCode")]
    [InlineData("/op/notify/templates/BUILD_SUCCESS/preview", """{"notifyType":["SMS"]}""", HttpStatusCode.BadRequest, "notifyType")]
    [InlineData("/op/notify/templates/BUILD_SUCCESS/preview", """{"bodyParams":{"buildNum":{"n":1}}}""", HttpStatusCode.BadRequest, "bodyParams.buildNum")]
    [InlineData("/op/notify/templates/BUILD_SUCCESS/preview", """{"params":{}}""", HttpStatusCode.BadRequest, "params")]
    public async Task PreviewTemplate_BadRequest_NamesField(string path, string json, HttpStatusCode expected, string field)
    {
        var response = await Host.Http.PostJsonAsync(path, json);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal([field], response.ErrorFields);
    }

    [Fact]
    public async Task SendByTemplate_SeedExample_ArrivesRenderedPerChannel()
    {
        // BK-CI's own example (§8.1), as JSON.
        var response = await Host.Http.PostJsonAsync("/service/notify/template/send", """
            {"templateCode":"BUILD_SUCCESS","receivers":["user1"],
             "titleParams":{"projectName":"my-project","status":"成功"},
             "bodyParams":{"pipelineName":"my-pipeline","buildNum":"100","duration":"5分钟"},
             "notifyType":["EMAIL","RTX"]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((0, true), (response.Status, response.Data.GetBoolean()));
        Assert.Equal("BUILD_SUCCESS", response.Body.GetProperty("templateCode").GetString());
        var messages = response.Body.GetProperty("messages");
        Assert.Equal(["EMAIL", "RTX"], messages.EnumerateArray().Select(m => m.GetProperty("channel").GetString()));
        Assert.Equal(["triggerUser", "userName"], messages[0].GetProperty("missingVariables").EnumerateArray().Select(v => v.GetString()));

        var email = await DeliveredAsync(NotifyChannel.Email, messages[0].GetProperty("messageId").GetString()!);
        Assert.Equal("user1@example.com", Assert.Single(email.Recipients).Address);
        Assert.Equal("【BK-CI】my-project 流水线构建成功", email.Message.Title);
        Assert.Equal("<p>您好,:</p><p>您的流水线 my-pipeline 构建成功。</p><p>构建号:100</p><p>触发人:</p><p>耗时:5分钟</p>", email.Message.Body);
        Assert.Equal(EmailFormat.Html, email.Message.Format);

        var rtx = await DeliveredAsync(NotifyChannel.Rtx, messages[1].GetProperty("messageId").GetString()!);
        Assert.Equal("user1.wecom", Assert.Single(rtx.Recipients).Address);
        Assert.Equal("【BK-CI】my-project 流水线构建成功", rtx.Message.Title);
        Assert.Equal("您好,:\n您的流水线 my-pipeline 构建成功。\n构建号:100\n触发人:\n耗时:5分钟", rtx.Message.Body);
        Assert.Equal(("bk-ci", "template:BUILD_SUCCESS"), (rtx.Message.Source, rtx.Message.Reference));
    }

    [Fact]
    public async Task SendByTemplate_WeworkGroupAndBaseFields_SentOnTheRobotWithTheRequestsFields()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/template/send", """
            {"templateCode":"build_fail","receivers":["wrkRestChat"],"notifyType":["WEWORK_GROUP"],"bodyParams":{"projectName":"p","buildNum":7},
             "mentionedList":["@all"],"source":"ci","sender":"DevOps","priority":"2","frequencyLimit":5,"delayMills":1,"retryTime":3}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(response.Body.GetProperty("messages").EnumerateArray());
        Assert.Equal("WEWORK", message.GetProperty("channel").GetString());
        var record = await Host.WaitForFinalAsync(message.GetProperty("messageId").GetString()!);
        Assert.Equal((MessageStatus.Sent, "ci", "DevOps", NotifyPriority.High, 5, 1), (record.Status, record.Message.Source, record.Message.Sender, record.Message.Priority, record.Message.FrequencyLimitMinutes, record.Message.DelaySeconds));
        Assert.Equal(["@all"], record.Message.MentionedList);
        // The built-in has a markdown body for the robot, so that is what goes out.
        Assert.Equal(RobotTextType.Markdown, record.Message.TextType);
        Assert.StartsWith("**【BK-CI】p 流水线构建失败**\n", record.Message.Body);
        Assert.Contains("> 构建号:7", record.Message.Body);
    }

    [Fact]
    public async Task SendByTemplate_SameRequestId_ReplaysTheSameMessages()
    {
        const string json = """{"templateCode":"BUILD_START","receivers":["user1"],"notifyType":["RTX"],"requestId":"it-rest-template-replay"}""";

        var first = await Host.Http.PostJsonAsync("/service/notify/template/send", json);
        var second = await Host.Http.PostJsonAsync("/service/notify/template/send", json);

        Assert.True(first.StatusCode == HttpStatusCode.OK, first.ToString());
        Assert.True(second.StatusCode == HttpStatusCode.OK, second.ToString());

        var firstMessage = first.Body.GetProperty("messages")[0];
        var secondMessage = second.Body.GetProperty("messages")[0];
        Assert.False(firstMessage.GetProperty("replayed").GetBoolean());
        Assert.True(secondMessage.GetProperty("replayed").GetBoolean());
        Assert.Equal(firstMessage.GetProperty("messageId").GetString(), secondMessage.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task SendByTemplate_ChannelOutsideScope_Returns400AndSendsNothing()
    {
        var emailBefore = Host.Transport(NotifyChannel.Email).Deliveries.Count;

        var response = await Host.Http.PostJsonAsync("/service/notify/template/send",
            """{"templateCode":"BUILD_SUCCESS","receivers":["user1"],"notifyType":["EMAIL","SMS"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["notifyType"], response.ErrorFields);
        Assert.Contains("sms not in the scope of template BUILD_SUCCESS (email, rtx, wechat, wework)", response.Message);
        Assert.Equal(emailBefore, Host.Transport(NotifyChannel.Email).Deliveries.Count);
    }

    [Fact]
    public async Task SendByTemplate_MissingRequiredParams_Returns400NamingThem()
    {
        await Host.Http.PostJsonAsync("/op/notify/templates", Deploy("IT_REST_REQUIRED"));

        var response = await Host.Http.PostJsonAsync("/service/notify/template/send",
            """{"templateCode":"IT_REST_REQUIRED","receivers":["user1"],"bodyParams":{"version":"1.0"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["bodyParams"], response.ErrorFields);
        Assert.Contains("template IT_REST_REQUIRED requires app", response.Message);
    }

    [Theory]
    [InlineData("""{"templateCode":"IT_REST_NOT_THERE","receivers":["user1"]}""", "templateCode", "no template IT_REST_NOT_THERE")]
    [InlineData("""{"receivers":["user1"]}""", "templateCode", "is required")]
    [InlineData("""{"templateCode":"BUILD_SUCCESS","receivers":["user1"],"notifyType":["EMAIL","FAX"]}""", "notifyType[1]", "'FAX' is not a channel")]
    [InlineData("""{"templateCode":"BUILD_SUCCESS","receivers":["user1"],"titleParams":{"status":null}}""", "titleParams.status", "expected a string, number or boolean")]
    [InlineData("""{"templateCode":"BUILD_SUCCESS","receivers":[],"notifyType":["RTX"]}""", "rtx.receivers", "at least one receiver")]
    [InlineData("""{"templateCode":"BUILD_SUCCESS","receivers":["user1"],"format":"HTML"}""", "format", "unknown field 'format'")]
    public async Task SendByTemplate_BadInput_Returns400NamingField(string json, string field, string reason)
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/template/send", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, response.Status);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    [Fact]
    public async Task SendBuildNotify_Status_PicksBuildTemplateAndMergesPathValues()
    {
        var fail = await Host.Http.GetJsonAsync("/op/notify/templates/BUILD_FAIL");
        var edited = JsonNode.Parse(fail.Data.GetRawText())!;
        foreach (var content in edited["contents"]!.AsArray().Where(c => (string?)c!["channel"] == "RTX"))
        {
            content!["body"] = "${projectId}/${pipelineId}/${buildId} {{ duration }}";
        }

        Assert.Equal(HttpStatusCode.OK, (await Host.Http.PutJsonAsync("/op/notify/templates/BUILD_FAIL", edited.ToJsonString())).StatusCode);

        var response = await Host.Http.PostJsonAsync("/build/notify/projects/demo/pipelines/p-1/builds/b-42/send",
            """{"receivers":["user1"],"notifyType":["RTX"],"buildStatus":"failed","params":{"projectName":"演示","buildId":"not-the-path","duration":"3分钟"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((0, true, "BUILD_FAIL"), (response.Status, response.Data.GetBoolean(), response.Body.GetProperty("templateCode").GetString()));
        var rtx = await DeliveredAsync(NotifyChannel.Rtx, response.Body.GetProperty("messages")[0].GetProperty("messageId").GetString()!);
        Assert.Equal("【BK-CI】演示 流水线构建失败", rtx.Message.Title);
        Assert.Equal("demo/p-1/b-42 3分钟", rtx.Message.Body);
    }

    [Theory]
    [InlineData("""{"receivers":["user1"],"buildStatus":"EXPLODED"}""", "buildStatus", "'EXPLODED' is not START, SUCCESS, FAIL or CANCEL")]
    [InlineData("""{"receivers":["user1"]}""", "buildStatus", "or a templateCode is required")]
    [InlineData("""{"receivers":["user1"],"templateCode":"IT_REST_NO_BUILD_TEMPLATE"}""", "templateCode", "no template IT_REST_NO_BUILD_TEMPLATE")]
    [InlineData("""{"receivers":["user1"],"buildStatus":"SUCCESS","params":{"n":[1]}}""", "params.n", "expected a string, number or boolean")]
    [InlineData("""{"receivers":["user1"],"buildStatus":"SUCCESS","delaySeconds":3}""", "delaySeconds", "unknown field 'delaySeconds'")]
    public async Task SendBuildNotify_BadInput_Returns400NamingField(string json, string field, string reason)
    {
        var response = await Host.Http.PostJsonAsync("/build/notify/projects/demo/pipelines/p-1/builds/b-1/send", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    private async Task<Notify.Grains.Abstractions.Delivery.ChannelDelivery> DeliveredAsync(NotifyChannel channel, string messageId)
    {
        var record = await Host.WaitForFinalAsync(messageId);
        Assert.Equal(MessageStatus.Sent, record.Status);
        return Assert.Single(Host.Transport(channel).Deliveries, d => d.MessageId == messageId);
    }
}
