using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Http.Cmsi;
using Notify.Grains.Channels.Wechat;
using Xunit;
using static Notify.UnitTests.Channels.Http.PayloadJson;

namespace Notify.UnitTests.Channels.Wechat;

public sealed class WechatPayloadTests
{
    private static readonly CmsiCredentials Credentials = new("app", "secret", "admin");

    [Theory]
    [InlineData("", "蓝鲸通知")]
    [InlineData("Build failed", "Build failed")]
    public void Build_Message_HeadingIsTitleOrTheConfiguredDefault(string title, string expectedHeading)
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Wechat, Title = title, Body = "pipeline p1 #42" };
        var delivery = new ChannelDelivery("m", 1, message,
            [new DeliveryRecipient("o-1", "o-1", RecipientKind.To), new DeliveryRecipient("o-2", "o-2", RecipientKind.To)]);

        AssertSerializesTo(
            $$$"""{"bk_app_code":"app","bk_app_secret":"secret","bk_username":"admin","receiver":"o-1,o-2","data":{"heading":"{{{expectedHeading}}}","message":"pipeline p1 #42"}}""",
            WechatPayload.Build(delivery, Credentials, "蓝鲸通知"));
    }
}
