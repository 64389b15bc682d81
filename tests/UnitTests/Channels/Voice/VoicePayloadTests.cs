using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Http.Cmsi;
using Notify.Grains.Channels.Voice;
using Xunit;
using static Notify.UnitTests.Channels.Http.PayloadJson;

namespace Notify.UnitTests.Channels.Voice;

public sealed class VoicePayloadTests
{
    private static readonly CmsiCredentials Credentials = new("app", "secret", null);

    [Fact]
    public void Build_TaskNameAndRecall_ReadsTaskNameFirstAndSendsExtensionFields()
    {
        var message = new NotifyMessage
        {
            Channel = NotifyChannel.Voice,
            Title = "CPU 告警",
            Body = "h1 cpu 95%",
            TransferReceiver = "bob",
            RecallTimes = 3,
            RecallIntervalSeconds = 120,
        };
        var delivery = new ChannelDelivery("m", 1, message,
        [
            new DeliveryRecipient("alice", "13800000001", RecipientKind.To),
            new DeliveryRecipient("alice2", "13800000001", RecipientKind.To),
            new DeliveryRecipient("13800000002", "13800000002", RecipientKind.To),
        ]);

        AssertSerializesTo(
            """
            {"bk_app_code":"app","bk_app_secret":"secret","auto_read_message":"CPU 告警: h1 cpu 95%",
             "user_list_information":[{"username":"alice","mobile_phone":"13800000001"},{"username":"13800000002","mobile_phone":"13800000002"}],
             "transfer_receiver":"bob","recall_times":3,"recall_interval":120}
            """,
            VoicePayload.Build(delivery, Credentials));
    }

    [Fact]
    public void Build_ContentOnly_NoExtensionFields()
    {
        var delivery = new ChannelDelivery("m", 1, new NotifyMessage { Channel = NotifyChannel.Voice, Body = "disk full" },
            [new DeliveryRecipient("13800000001", "13800000001", RecipientKind.To)]);

        AssertSerializesTo(
            """{"bk_app_code":"app","bk_app_secret":"secret","auto_read_message":"disk full","user_list_information":[{"username":"13800000001","mobile_phone":"13800000001"}]}""",
            VoicePayload.Build(delivery, Credentials));
    }
}
