using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Http;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;
using static Notify.IntegrationTests.HttpChannels.TestDeliveries;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>The WeChat, SMS and voice transports against the test CMSI gateway.</summary>
public sealed class CmsiChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_Sms_PostsCredentialsCommaSeparatedPhonesAndBody()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var message = new NotifyMessage { Channel = NotifyChannel.Sms, Body = "构建失败: pipeline p1 #42" };

        var result = await host.Transport(NotifyChannel.Sms).SendAsync(To(message, "13800000001", "+8613800000002"), Ct);

        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.CmsiSendSms));
        Assert.Equal("POST", send.Method);
        AssertJsonEqual(
            """{"bk_app_code":"notify-test","bk_app_secret":"app-secret-M4vR8c","bk_username":"admin","receiver":"13800000001,+8613800000002","content":"构建失败: pipeline p1 #42"}""",
            send.Body);
        Assert.Equal(["13800000001", "+8613800000002"], result.Recipients.Select(r => r.Address));
        Assert.All(result.Recipients, r => Assert.True(r.Delivered));
    }

    [Fact]
    public async Task SendAsync_VoiceWithTaskNameAndRecall_PostsCalleesAndExtensionFields()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var message = new NotifyMessage
        {
            Channel = NotifyChannel.Voice,
            Title = "CPU high",
            Body = "cpu 95% on h1",
            TransferReceiver = "13800000009",
            RecallTimes = 2,
            RecallIntervalSeconds = 60,
        };
        var delivery = new ChannelDelivery("m-voice", 1, message,
        [
            new DeliveryRecipient("alice", "13800000001", RecipientKind.To),
            new DeliveryRecipient("13800000002", "13800000002", RecipientKind.To),
        ]);

        var result = await host.Transport(NotifyChannel.Voice).SendAsync(delivery, Ct);

        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.CmsiSendVoice));
        AssertJsonEqual(
            """
            {"bk_app_code":"notify-test","bk_app_secret":"app-secret-M4vR8c","bk_username":"admin",
             "auto_read_message":"CPU high: cpu 95% on h1",
             "user_list_information":[{"username":"alice","mobile_phone":"13800000001"},{"username":"13800000002","mobile_phone":"13800000002"}],
             "transfer_receiver":"13800000009","recall_times":2,"recall_interval":60}
            """,
            send.Body);
        Assert.Equal(["13800000001", "13800000002"], result.Recipients.Select(r => r.Address));
        Assert.All(result.Recipients, r => Assert.True(r.Delivered));
    }

    [Fact]
    public async Task SendAsync_VoiceWithoutTitleOrRecall_PostsContentAloneAndNoExtensionFields()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers, ("Channels:Voice:Username", null));
        var message = new NotifyMessage { Channel = NotifyChannel.Voice, Body = "disk full" };

        await host.Transport(NotifyChannel.Voice).SendAsync(To(message, "13800000001"), Ct);

        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.CmsiSendVoice));
        AssertJsonEqual(
            """{"bk_app_code":"notify-test","bk_app_secret":"app-secret-M4vR8c","auto_read_message":"disk full","user_list_information":[{"username":"13800000001","mobile_phone":"13800000001"}]}""",
            send.Body);
    }

    [Theory]
    [InlineData(null, "Notification")]
    [InlineData("蓝鲸监控", "蓝鲸监控")]
    public async Task SendAsync_Wechat_PostsOpenIdsAndHeadingWithMessage(string? configuredHeading, string expectedHeading)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = configuredHeading is null
            ? HttpChannelHost.For(providers)
            : HttpChannelHost.For(providers, ("Channels:Wechat:Heading", configuredHeading));
        var message = new NotifyMessage { Channel = NotifyChannel.Wechat, Body = "pipeline p1 #42 failed" };

        var result = await host.Transport(NotifyChannel.Wechat).SendAsync(To(message, "o-open-1", "o-open-2"), Ct);

        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.CmsiSendWeixin));
        AssertJsonEqual(
            $$$"""{"bk_app_code":"notify-test","bk_app_secret":"app-secret-M4vR8c","bk_username":"admin","receiver":"o-open-1,o-open-2","data":{"heading":"{{{expectedHeading}}}","message":"pipeline p1 #42 failed"}}""",
            send.Body);
        Assert.All(result.Recipients, r => Assert.True(r.Delivered));
    }

    [Theory]
    [InlineData(NotifyChannel.Wechat)]
    [InlineData(NotifyChannel.Sms)]
    [InlineData(NotifyChannel.Voice)]
    public async Task SendAsync_GatewayAnswersResultFalse_ThrowsPermanentWithGatewayCodeAndMessage(NotifyChannel channel)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(SendPath(channel), ProviderFault.Error(1306201, "receiver not found"));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        var error = Assert.IsType<ProviderErrorException>(exception);
        Assert.Equal("1306201", error.Code);
        Assert.False(error.Transient);
        Assert.Contains("receiver not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Permanent, failure.Kind);
    }

    [Fact]
    public async Task SendAsync_WrongAppSecret_ThrowsPermanent()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers, ("Channels:Sms:AppSecret", "wrong-secret-T5y1"));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Sms).SendAsync(Sample(NotifyChannel.Sms), Ct));

        Assert.Equal("1640001", Assert.IsType<ProviderErrorException>(exception).Code);
        Assert.Equal(FailureKind.Permanent, failure.Kind);
    }

    [Fact]
    public async Task SendAsync_SameAddressTwice_SentOnceAndReportedOnce()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var message = new NotifyMessage { Channel = NotifyChannel.Sms, Body = "hello" };
        var delivery = new ChannelDelivery("m-dup", 1, message,
        [
            new DeliveryRecipient("alice", "13800000001", RecipientKind.To),
            new DeliveryRecipient("13800000001", "13800000001", RecipientKind.To),
        ]);

        var result = await host.Transport(NotifyChannel.Sms).SendAsync(delivery, Ct);

        Assert.Equal("13800000001", (string?)Assert.Single(providers.RequestsTo(HttpProviderPaths.CmsiSendSms)).Json["receiver"]);
        Assert.Equal("13800000001", Assert.Single(result.Recipients).Address);
    }
}
