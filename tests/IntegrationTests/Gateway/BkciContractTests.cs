using System.Net;
using System.Text;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// BK-CI's own contract (<c>ServiceNotifyResource</c> on <c>/service/notifies</c>, <c>ServiceNotifyMessageTemplateResource</c>):
/// each body is written the way BK-CI's Jackson serializes its Kotlin class, every property present (enums through their
/// <c>@JsonValue</c>, <c>is…()</c> getters as properties), and each send is followed to the SMTP or HTTP provider server.
/// </summary>
public sealed class BkciContractTests(BkciContractHostFixture fixture) : IClassFixture<BkciContractHostFixture>
{
    private static readonly TimeSpan ProviderWait = TimeSpan.FromSeconds(15);

    private NotifyTestHost Host => fixture.Host;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Email_EmailNotifyMessageAsJacksonWritesIt_DeliveredOverSmtp()
    {
        // EmailNotifyMessage: IEvent, BaseMessage, its own properties, and isReceiversEmpty() as "receiversEmpty".
        var response = await Host.Http.PostJsonAsync("/service/notifies/email", """
            {"delayMills":0,"retryTime":0,"frequencyLimit":0,"fromSysId":"","tofSysId":"","v2ExtInfo":"",
             "format":1,"type":0,"receivers":["dev@example.com"],"cc":["lead@example.com"],"bcc":["audit@example.com"],
             "body":"<p>pipeline <b>p1</b> #12 failed</p>","sender":"DevOps","title":"bkci-email 构建失败","priority":"1","source":0,
             "codeccAttachFileContent":{"codecc-report.html":"PGh0bWw+PC9odG1sPg=="},"variables":{"projectName":"p1"},
             "tencentCloudTemplateId":null,"receiversEmpty":false}
            """);

        var record = await AssertAcceptedAndSentAsync(response);
        Assert.Equal("html", record.Data.GetProperty("format").GetString()!.ToLowerInvariant());
        Assert.Equal(1, record.Data.GetProperty("priority").GetInt32());
        Assert.Contains(record.Data.GetProperty("adjustments").EnumerateArray(), a => a.GetString()!.Contains("codecc-report.html not attached"));
        var mail = await fixture.Smtp.WaitForMessageAsync(m => m.Message.Subject == "bkci-email 构建失败", ProviderWait, Cancellation);
        Assert.Equal(["dev@example.com", "lead@example.com", "audit@example.com"], mail.EnvelopeRecipients);
        Assert.Contains("<b>p1</b>", mail.Message.HtmlBody);
    }

    [Fact]
    public async Task Rtx_RtxNotifyMessageAsJacksonWritesIt_DeliveredToWecomMessageSend()
    {
        // RtxNotifyMessage: isReceiversEmpty() is @JsonIgnore'd, so no "receiversEmpty".
        var response = await Host.Http.PostJsonAsync("/service/notifies/rtx", """
            {"delayMills":0,"retryTime":0,"frequencyLimit":0,"fromSysId":"","tofSysId":"","v2ExtInfo":"",
             "receivers":["alice.w"],"body":"bkci-rtx pipeline p1 #12 failed","sender":"DevOps","title":"Build failed","priority":"0","source":0}
            """);

        await AssertAcceptedAndSentAsync(response);
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.WecomMessageSend),
            r => ((string?)r.Json["text"]?["content"])?.Contains("bkci-rtx", StringComparison.Ordinal) == true);
        Assert.Equal("alice.w", (string?)send.Json["touser"]);
        Assert.Equal("Build failed\nbkci-rtx pipeline p1 #12 failed", (string?)send.Json["text"]!["content"]);
    }

    [Fact]
    public async Task Wechat_WechatNotifyMessageAsJacksonWritesIt_DeliveredToCmsiSendWeixin()
    {
        var response = await Host.Http.PostJsonAsync("/service/notifies/wechat", """
            {"delayMills":0,"retryTime":0,"frequencyLimit":0,"fromSysId":"","tofSysId":"","v2ExtInfo":"",
             "receivers":["oAbC123_openid"],"body":"bkci-wechat build failed","sender":"DevOps","priority":"1","source":1,
             "markdownContent":false,"receiversEmpty":false}
            """);

        await AssertAcceptedAndSentAsync(response);
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.CmsiSendWeixin),
            r => r.RawBody.Contains("bkci-wechat", StringComparison.Ordinal));
        Assert.Equal("oAbC123_openid", (string?)send.Json["receiver"]);
    }

    [Fact]
    public async Task Sms_SmsNotifyMessageAsJacksonWritesIt_DeliveredToCmsiSendSms()
    {
        var response = await Host.Http.PostJsonAsync("/service/notifies/sms", """
            {"delayMills":1500,"retryTime":0,"frequencyLimit":0,"fromSysId":"","tofSysId":"","v2ExtInfo":"",
             "receivers":["+8613800138123"],"body":"bkci-sms build failed","sender":"DevOps","priority":"-1","source":0,
             "receiversEmpty":false}
            """);

        var record = await AssertAcceptedAndSentAsync(response);
        Assert.Equal(2, record.Data.GetProperty("delaySeconds").GetInt32());
        Assert.Equal(-1, record.Data.GetProperty("priority").GetInt32());
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.CmsiSendSms),
            r => ((string?)r.Json["content"])?.Contains("bkci-sms", StringComparison.Ordinal) == true);
        Assert.Equal("+8613800138123", (string?)send.Json["receiver"]);
    }

    [Fact]
    public async Task WeworkRobot_WeworkRobotNotifyMessageAsJacksonWritesIt_DeliveredToRobotWebhook()
    {
        // As BK-CI's auth service sends it: markdown with approval buttons (WeworkMarkdownAttachment, snake_case via @JsonProperty).
        var response = await Host.Http.PostJsonAsync("/service/notifies/wework/robot", """
            {"receivers":"wrkBkciChatA;wrkBkciChatB","receiverType":"group","textType":"markdown","message":"**bkci-robot** renew?",
             "attachments":{"callback_id":"renewal","actions":[{"name":"agree","text":"Agree","type":"button","value":"42",
               "replace_text":"Agreed","border_color":"2EAB49","text_color":"2EAB49"}]}}
            """);

        var record = await AssertAcceptedAndSentAsync(response);
        Assert.Contains(record.Data.GetProperty("adjustments").EnumerateArray(), a => a.GetString()!.Contains("callback 'renewal' were not sent"));
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook),
            r => ((string?)r.Json["markdown"]?["content"])?.Contains("bkci-robot", StringComparison.Ordinal) == true);
        Assert.Equal("wrkBkciChatA|wrkBkciChatB", (string?)send.Json["chatid"]);
    }

    [Fact]
    public async Task WeworkText_QueryAndJsonEncodedString_DeliveredToRobotWebhook()
    {
        // BK-CI's Feign client JSON-encodes the String body.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/notifies/wework/text?receivers=wrkBkciTextChat&receiverType=single&textType=text")
        {
            Content = new StringContent("\"bkci-text build failed\"", Encoding.UTF8, "application/json"),
        };

        var response = await Host.Http.SendRestAsync(request);

        await AssertAcceptedAndSentAsync(response);
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook),
            r => ((string?)r.Json["text"]?["content"])?.Contains("bkci-text", StringComparison.Ordinal) == true);
        Assert.Equal("bkci-text build failed", (string?)send.Json["text"]!["content"]);
        Assert.Equal("wrkBkciTextChat", (string?)send.Json["chatid"]);
    }

    [Fact]
    public async Task WeworkRobot_NamedRobotAndMobiles_DeliveredWithThatRobotsKey()
    {
        // BK-CI's class plus this cluster's two additions (robot, mentionedMobileList); the rest field for field.
        var response = await Host.Http.PostJsonAsync("/service/notifies/wework/robot", """
            {"receivers":"wrkBkciOpsChat","receiverType":"group","textType":"text","message":"bkci-ops-robot disk full","attachments":null,
             "robot":"ops","mentionedMobileList":["13800138000","@all"]}
            """);

        await AssertAcceptedAndSentAsync(response);
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook),
            r => ((string?)r.Json["text"]?["content"])?.Contains("bkci-ops-robot", StringComparison.Ordinal) == true);
        Assert.Equal(HttpProviderCredentials.OtherRobotKey, send.Query["key"]);
        Assert.Equal(["13800138000", "@all"], send.Json["text"]!["mentioned_mobile_list"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task WeworkText_RobotQueryParameter_DeliveredWithThatRobotsKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/notifies/wework/text?receivers=wrkBkciOpsText&receiverType=group&textType=text&robot=ops")
        {
            Content = new StringContent("\"bkci-ops-text build failed\"", Encoding.UTF8, "application/json"),
        };

        await AssertAcceptedAndSentAsync(await Host.Http.SendRestAsync(request));

        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook),
            r => ((string?)r.Json["text"]?["content"])?.Contains("bkci-ops-text", StringComparison.Ordinal) == true);
        Assert.Equal(HttpProviderCredentials.OtherRobotKey, send.Query["key"]);
    }

    [Fact]
    public async Task WeworkRobot_UnknownRobot_Returns400NamingTheFieldAndNoKey()
    {
        var response = await Host.Http.PostJsonAsync("/service/notifies/wework/robot", """
            {"receivers":"wrkBkciChat","receiverType":"group","textType":"text","message":"m","robot":"nosuch"}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["robot"], response.ErrorFields);
        Assert.Contains("'nosuch' is not a configured robot", response.Message);
        Assert.DoesNotContain("ops", response.Message);
        Assert.All(HttpProviderCredentials.Secrets, secret => Assert.DoesNotContain(secret, response.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task TemplateSend_SendNotifyMessageTemplateRequestAsJacksonWritesIt_DeliveredOverSmtpAndWecom()
    {
        var contact = await Host.Http.PutJsonAsync("/op/notify/contacts/bkci.user", """{"email":"bkci.user@example.com","wecomUserId":"bkci.wecom"}""");
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);

        var response = await Host.Http.PostJsonAsync("/service/notify/message/template/send", """
            {"templateCode":"BUILD_SUCCESS","receivers":["bkci.user"],"notifyType":["EMAIL","RTX"],
             "titleParams":{"projectName":"bkci-template","status":"成功"},
             "bodyParams":{"pipelineName":"my-pipeline","buildNum":"100","duration":"5分钟"},
             "cc":[],"bcc":[],"markdownContent":false,"mentionReceivers":false,"callbackData":{"approvalId":"7"}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((0, true), (response.Status, response.Data.GetBoolean()));
        var messages = response.Body.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(["EMAIL", "RTX"], messages.Select(m => m.GetProperty("channel").GetString()));
        foreach (var message in messages)
        {
            Assert.Equal(MessageStatus.Sent, (await Host.WaitForFinalAsync(message.GetProperty("messageId").GetString()!)).Status);
        }

        var mail = await fixture.Smtp.WaitForMessageAsync(m => m.Message.Subject?.Contains("bkci-template", StringComparison.Ordinal) == true, ProviderWait, Cancellation);
        Assert.Equal(["bkci.user@example.com"], mail.EnvelopeRecipients);
        Assert.Contains(fixture.Providers.RequestsTo(HttpProviderPaths.WecomMessageSend), r => (string?)r.Json["touser"] == "bkci.wecom");
    }

    [Fact]
    public async Task UnusedFields_CountedPerPathAndField_OnMetrics()
    {
        // mqResend/mqResendMax: IEvent fields of other BK-CI versions; "colour" is no BK-CI field at all. Both accepted.
        var response = await Host.Http.PostJsonAsync("/service/notifies/sms", """
            {"receivers":["+8613800138124"],"body":"bkci-metrics","priority":"0","source":0,"receiversEmpty":false,"mqResend":false,"mqResendMax":3,"colour":"red"}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var scrape = await Host.Http.GetAsync("/metrics", Cancellation);
        var series = (await scrape.Content.ReadAsStringAsync(Cancellation)).Split('\n')
            .Where(l => l.StartsWith("notify_gateway_bkci_unused_fields_total{", StringComparison.Ordinal) && l.Contains("path=\"/service/notifies/sms\"", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains(series, l => l.Contains("field=\"receiversEmpty\"", StringComparison.Ordinal));
        Assert.Contains(series, l => l.Contains("field=\"mqResendMax\"", StringComparison.Ordinal));
        Assert.Contains(series, l => l.Contains("field=\"(unrecognized)\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DesignPath_SameBkciField_StillRefused()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/sms/send", """{"receivers":["+8613800138125"],"body":"b","receiversEmpty":false}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["receiversEmpty"], response.ErrorFields);
    }

    // A used field with a value BK-CI's classes cannot hold is refused naming it, all at once.
    [Theory]
    [InlineData("/service/notifies/email", """{"receivers":["a@example.com"],"title":"t","body":"b","format":5}""", "format", "0 (PLAIN_TEXT) or 1 (HTML)")]
    [InlineData("/service/notifies/email", """{"receivers":"a@example.com","title":"t","body":"b"}""", "receivers", "expected an array of strings")]
    [InlineData("/service/notifies/rtx", """{"receivers":["alice"],"title":"t","body":"b","priority":"HIGH"}""", "priority", "expected an integer")]
    [InlineData("/service/notifies/wework/robot", """{"receivers":"chat","textType":"text","message":"m"}""", "receiverType", "is required: single or group")]
    [InlineData("/service/notifies/wework/robot", """{"receivers":"chat","receiverType":"group","textType":"news","message":"m"}""", "textType", "must be text or markdown")]
    [InlineData("/service/notifies/wework/robot", """{"receivers":" ; ","receiverType":"group","textType":"text","message":"m"}""", "receivers", "at least one receiver")]
    public async Task Send_InvalidUsedField_Returns400NamingIt(string path, string json, string field, string reason)
    {
        var response = await Host.Http.PostJsonAsync(path, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    private async Task<RestResponse> AssertAcceptedAndSentAsync(RestResponse response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        Assert.Equal((0, null, true), (response.Status, response.Message, response.Data.GetBoolean()));
        var messageId = response.Body.GetProperty("messageId").GetString()!;
        var record = await Host.WaitForFinalAsync(messageId);
        Assert.True(record.Status == MessageStatus.Sent, $"{messageId} is {record.Status}: {string.Join("; ", record.Receivers.Select(r => $"{r.Receiver} {r.Status} {r.Detail}"))}");
        return await Host.Http.GetJsonAsync(response.Raw.Headers.Location!.OriginalString);
    }
}

/// <summary>The host with its real channel transports, pointed at an SMTP test server and the HTTP provider test server.</summary>
public sealed class BkciContractHostFixture : IAsyncLifetime
{
    private NotifyTestHost? _host;
    private SmtpTestServer? _smtp;
    private HttpProviderTestServer? _providers;

    public NotifyTestHost Host => _host ?? throw new InvalidOperationException("the host has not started");

    public SmtpTestServer Smtp => _smtp ?? throw new InvalidOperationException("the SMTP server has not started");

    public HttpProviderTestServer Providers => _providers ?? throw new InvalidOperationException("the provider server has not started");

    public async ValueTask InitializeAsync()
    {
        _smtp = SmtpTestServer.Start();
        _providers = await HttpProviderTestServer.StartAsync();
        var settings = _providers.ChannelSettings();
        settings["Channels:Wework:Robots:ops:Key"] = HttpProviderCredentials.OtherRobotKey;
        settings["Channels:Email:Host"] = _smtp.Host;
        settings["Channels:Email:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Channels:Email:From"] = "notify@example.com";
        _host = await NotifyTestHost.StartWithProvidersAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_providers is not null)
        {
            await _providers.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }
}
