using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Http.Cmsi;
using Notify.Grains.Channels.Sms;
using Xunit;
using static Notify.UnitTests.Channels.Http.PayloadJson;

namespace Notify.UnitTests.Channels.Sms;

public sealed class SmsPayloadTests
{
    private static readonly CmsiCredentials Credentials = new("app", "secret", "admin");

    [Fact]
    public void Build_Phones_CommaSeparatedOnceEachWithBodyAsContent()
    {
        var delivery = Delivery("13800000001", "13800000002", "13800000001");

        AssertSerializesTo(
            """{"bk_app_code":"app","bk_app_secret":"secret","bk_username":"admin","receiver":"13800000001,13800000002","content":"disk full"}""",
            SmsPayload.Build(delivery, Credentials));
    }

    [Fact]
    public void Build_WithoutSecretOrUsername_LeavesThoseFieldsOut()
    {
        AssertSerializesTo(
            """{"bk_app_code":"app","receiver":"13800000001","content":"disk full"}""",
            SmsPayload.Build(Delivery("13800000001"), (Credentials with { Username = null }).WithoutSecret()));
    }

    private static ChannelDelivery Delivery(params string[] phones) =>
        new("m", 1, new NotifyMessage { Channel = NotifyChannel.Sms, Body = "disk full" }, phones.Select(p => new DeliveryRecipient(p, p, RecipientKind.To)).ToArray());
}
