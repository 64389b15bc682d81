using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.IntegrationTests.Templates;

[Collection(TemplateClusterCollection.Name)]
public sealed class TemplateSendTests(TemplateClusterFixture fixture)
{
    private static TemplateSendRequest Request(string code, params NotifyChannel[] channels) => new()
    {
        TemplateCode = code,
        Receivers = [TemplateClusterFixture.User],
        NotifyTypes = channels,
        TitleParams = new Dictionary<string, string> { ["app"] = "api", ["env"] = "prod" },
        BodyParams = new Dictionary<string, string> { ["userName"] = "<script>alert(1)</script>", ["version"] = "1.2.3" },
        Source = "it",
        RequestId = Guid.NewGuid().ToString("N"),
    };

    [Fact]
    public async Task Send_SeveralChannels_ArriveRenderedAtEachTransport()
    {
        await fixture.Template("IT_SEND").CreateAsync(TemplateGrainTests.Deploy("IT_SEND"));
        var rtxBefore = fixture.Cluster.Transport(NotifyChannel.Rtx).Deliveries.Count;

        var result = await fixture.Sender.SendAsync(Request("it_send", NotifyChannel.Email, NotifyChannel.Sms));

        Assert.Equal("IT_SEND", result.TemplateCode);
        Assert.Equal([NotifyChannel.Email, NotifyChannel.Sms], result.Channels.Select(c => c.Channel));
        var email = await fixture.DeliveredAsync(result.Channels[0]);
        Assert.Equal("alice@example.com", Assert.Single(email.Recipients).Address);
        Assert.Equal("【部署】api PROD", email.Message.Title);
        Assert.Equal("<p>您好 &lt;script&gt;alert(1)&lt;/script&gt;</p><p>版本 1.2.3</p>", email.Message.Body);
        Assert.Equal((EmailFormat.Html, "it", "template:IT_SEND"), (email.Message.Format, email.Message.Source, email.Message.Reference));

        var sms = await fixture.DeliveredAsync(result.Channels[1]);
        Assert.Equal("13800000000", Assert.Single(sms.Recipients).Address);
        Assert.Equal("【部署】api\n1.2.3 → prod", sms.Message.Body);
        Assert.Equal(rtxBefore, fixture.Cluster.Transport(NotifyChannel.Rtx).Deliveries.Count);
    }

    [Fact]
    public async Task Send_NoNotifyType_SendsEveryChannelInScope()
    {
        await fixture.Template("IT_SCOPE_ALL").CreateAsync(TemplateGrainTests.Deploy("IT_SCOPE_ALL"));
        var result = await fixture.Sender.SendAsync(Request("IT_SCOPE_ALL"));
        Assert.Equal([NotifyChannel.Email, NotifyChannel.Rtx, NotifyChannel.Sms], result.Channels.Select(c => c.Channel));
        var rtx = await fixture.DeliveredAsync(result.Channels[1]);
        Assert.Equal(("alice.wecom", "版本 1.2.3 已部署到 prod"), (Assert.Single(rtx.Recipients).Address, rtx.Message.Body));
    }

    [Fact]
    public async Task Send_ChannelOutsideScope_IsRefusedAndSendsNothing()
    {
        await fixture.Template("IT_SCOPE").CreateAsync(TemplateGrainTests.Deploy("IT_SCOPE"));
        var emailBefore = fixture.Cluster.Transport(NotifyChannel.Email).Deliveries.Count;

        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Sender.SendAsync(Request("IT_SCOPE", NotifyChannel.Email, NotifyChannel.Wechat)));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("notifyType", error.Field);
        Assert.StartsWith("wechat not in the scope of template IT_SCOPE", error.Reason);
        Assert.Equal(emailBefore, fixture.Cluster.Transport(NotifyChannel.Email).Deliveries.Count);
    }

    [Fact]
    public async Task Send_MissingRequiredParams_IsRefusedNamingThem()
    {
        await fixture.Template("IT_REQUIRED").CreateAsync(TemplateGrainTests.Deploy("IT_REQUIRED") with { RequiredParams = ["app", "ticket", "owner"] });
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Sender.SendAsync(Request("IT_REQUIRED", NotifyChannel.Rtx)));
        Assert.Equal(RequestErrorKind.Invalid, exception.Kind);
        Assert.Contains(exception.Errors, e => e.Reason == "template IT_REQUIRED requires ticket, owner");
    }

    [Fact]
    public async Task Send_UnknownTemplate_IsInvalidNamingIt()
    {
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Sender.SendAsync(Request("IT_MISSING_TEMPLATE")));
        Assert.Equal(RequestErrorKind.Invalid, exception.Kind);
        Assert.Equal(("templateCode", "no template IT_MISSING_TEMPLATE"), (exception.Errors[0].Field, exception.Errors[0].Reason));
    }

    [Fact]
    public async Task Send_BadReceiverForOneChannel_SendsNothing()
    {
        await fixture.Template("IT_BAD_RECEIVER").CreateAsync(TemplateGrainTests.Deploy("IT_BAD_RECEIVER"));
        var before = fixture.Cluster.Transport(NotifyChannel.Email).Deliveries.Count;
        var request = Request("IT_BAD_RECEIVER", NotifyChannel.Email, NotifyChannel.Sms) with { Receivers = ["bob@example.com"] };

        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Sender.SendAsync(request));

        Assert.Equal("sms.receivers[0]", Assert.Single(exception.Errors).Field);
        Assert.Equal(before, fixture.Cluster.Transport(NotifyChannel.Email).Deliveries.Count);
    }

    [Fact]
    public async Task Send_LongSmsAndSubject_AreTruncatedSafelyAndRecorded()
    {
        var template = TemplateGrainTests.Deploy("IT_LONG") with
        {
            Contents =
            [
                TemplateGrainTests.Deploy("x").Contents[0] with { Title = "${long}", Body = "<p>${long}</p>" },
                TemplateGrainTests.Deploy("x").Contents[1],
                TemplateGrainTests.Deploy("x").Contents[2] with { Title = "", Body = "${long}" },
            ],
        };
        await fixture.Template("IT_LONG").CreateAsync(template);
        var text = string.Concat(Enumerable.Repeat("构建失败😀", 200));
        var request = Request("IT_LONG", NotifyChannel.Email, NotifyChannel.Sms) with
        {
            TitleParams = new Dictionary<string, string> { ["long"] = text },
            BodyParams = new Dictionary<string, string> { ["long"] = text },
        };

        var result = await fixture.Sender.SendAsync(request);

        var sms = await fixture.DeliveredAsync(result.Channels[1]);
        Assert.Equal(ChannelContentLimits.SmsLength, sms.Message.Body.Length);
        Assert.EndsWith("😀构…", sms.Message.Body);
        Assert.Equal(["body truncated from 1200 to 500 characters (sms limit 500)"], sms.Message.Adjustments);
        Assert.Equal(sms.Message.Adjustments, result.Channels[1].Adjustments);

        var email = await fixture.DeliveredAsync(result.Channels[0]);
        Assert.Equal(ChannelContentLimits.EmailSubjectLength, email.Message.Title.Length);
        Assert.EndsWith("😀构建失…", email.Message.Title);
        Assert.Equal(["title truncated from 1200 to 256 characters (email limit 256)"], email.Message.Adjustments);
        Assert.Equal(email.Message.Title, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(email.Message.Title)));
        var record = await fixture.Cluster.WaitForFinalAsync(result.Channels[1].MessageId);
        Assert.Equal(sms.Message.Adjustments, record.Message.Adjustments);
    }

    [Fact]
    public async Task SendBuildNotify_Status_PicksBuildTemplateAndMergesPathValues()
    {
        var cancel = (await fixture.Template("BUILD_CANCEL").GetAsync())!.Template;
        await fixture.Template("BUILD_CANCEL").UpdateAsync(cancel with
        {
            Contents = [.. cancel.Contents.Select(c => c.Channel == NotifyChannel.Rtx ? c with { Body = "${projectId}/${pipelineId}/${buildId} {{ duration }}" } : c)],
        });

        var result = await fixture.Sender.SendBuildNotifyAsync(
            new BuildRef("demo", "p-1", "b-42"),
            new BuildNotifyRequest
            {
                Receivers = [TemplateClusterFixture.User],
                NotifyTypes = [NotifyChannel.Rtx],
                BuildStatus = "CANCELED",
                Params = new Dictionary<string, string> { ["projectName"] = "演示", ["buildId"] = "not-the-path", ["duration"] = "3分钟" },
            });

        Assert.Equal("BUILD_CANCEL", result.TemplateCode);
        var rtx = await fixture.DeliveredAsync(Assert.Single(result.Channels));
        Assert.Equal("【BK-CI】演示 流水线构建取消", rtx.Message.Title);
        Assert.Equal("demo/p-1/b-42 3分钟", rtx.Message.Body);
    }

    [Fact]
    public async Task SendBuildNotify_Success_RendersTheSeedTemplate()
    {
        var result = await fixture.Sender.SendBuildNotifyAsync(
            new BuildRef("demo", "p-1", "b-7"),
            new BuildNotifyRequest
            {
                Receivers = [TemplateClusterFixture.User],
                NotifyTypes = [NotifyChannel.Wechat],
                BuildStatus = "success",
                Params = new Dictionary<string, string>
                {
                    ["projectName"] = "my-project", ["userName"] = "alice", ["pipelineName"] = "my-pipeline",
                    ["buildNum"] = "100", ["triggerUser"] = "bob", ["duration"] = "5分钟",
                },
            });

        var wechat = await fixture.DeliveredAsync(Assert.Single(result.Channels));
        Assert.Equal("alice-wx", Assert.Single(wechat.Recipients).Address);
        Assert.Equal("【BK-CI】my-project 流水线构建成功\n您好,alice:\n您的流水线 my-pipeline 构建成功。\n构建号:100\n触发人:bob\n耗时:5分钟", wechat.Message.Body);
        // The built-in words the status itself when the caller gives none, and says so.
        Assert.Equal(["status"], result.Channels[0].MissingVariables);
    }

    [Theory]
    [InlineData("first", 1, "【告警通知】CPU high")]
    [InlineData("repeat", 3, "【告警持续(第3次通知)】CPU high")]
    [InlineData("ack", 1, "【告警已确认】CPU high")]
    [InlineData("recovered", 1, "【告警已恢复】CPU high")]
    [InlineData("closed", 1, "【告警已关闭】CPU high")]
    public async Task Render_ActionNotice_WordsTheReason(string reason, int noticeTimes, string expectedStart)
    {
        Assert.Contains(reason, BuiltInTemplates.NoticeReasons);
        var parameters = new Dictionary<string, string>
        {
            ["reason"] = reason, ["noticeTimes"] = noticeTimes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["alertName"] = "CPU high", ["alertContent"] = "cpu 95%", ["alertLevel"] = "1", ["beginTime"] = "2026-11-23T00:00:00Z", ["alertId"] = "alert-1",
        };

        var sms = await fixture.Sender.RenderAsync(BuiltInTemplates.ActionNotice, NotifyChannel.Sms, parameters);
        var email = await fixture.Sender.RenderAsync(BuiltInTemplates.ActionNotice, NotifyChannel.Email, parameters);

        Assert.Equal(expectedStart + ":cpu 95%", sms.Body);
        Assert.Equal(expectedStart, email.Title);
        Assert.Empty(email.MissingVariables);
        var message = sms.ToMessage() with { Receivers = ["13800000000"] };
        Assert.Empty(NotifyMessageValidator.Validate(message));
    }
}
