using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Notify;

/// <summary>REST send bodies → <see cref="NotifyMessage"/>. Maps only; every rule is the validator's.</summary>
public static class SendBodyMapper
{
    public static NotifyMessage ToMessage(EmailSendBody body) => Base(NotifyChannel.Email, body) with
    {
        Receivers = body.Receivers ?? [],
        Cc = body.Cc ?? [],
        Bcc = body.Bcc ?? [],
        Title = body.Title ?? "",
        Body = body.Body ?? "",
        Format = WireEnums.EmailFormat(body.Format),
    };

    public static NotifyMessage ToMessage(RtxSendBody body) => Base(NotifyChannel.Rtx, body) with
    {
        Receivers = body.Receivers ?? [],
        Title = body.Title ?? "",
        Body = body.Body ?? "",
    };

    public static NotifyMessage ToMessage(WechatSendBody body) => Base(NotifyChannel.Wechat, body) with
    {
        Receivers = body.Receivers ?? [],
        Body = body.Body ?? "",
    };

    public static NotifyMessage ToMessage(SmsSendBody body) => Base(NotifyChannel.Sms, body) with
    {
        Receivers = body.Receivers ?? [],
        Body = body.Body ?? "",
    };

    public static NotifyMessage ToMessage(VoiceSendBody body) => Base(NotifyChannel.Voice, body) with
    {
        Receivers = body.Receivers ?? [],
        Title = body.TaskName ?? "",
        Body = body.Content ?? "",
        TransferReceiver = body.TransferReceiver ?? "",
        RecallIntervalSeconds = body.Interval ?? 0,
        RecallTimes = body.RecallTime ?? 0,
    };

    public static NotifyMessage ToMessage(WeworkSendBody body) => Base(NotifyChannel.Wework, body) with
    {
        Receivers = body.Receivers ?? [],
        Body = body.Message ?? "",
        TextType = WireEnums.TextType(body.TextType),
        MentionedList = body.MentionedList ?? [],
        MentionedMobileList = body.MentionedMobileList ?? [],
        Robot = body.Robot ?? "",
    };

    private static NotifyMessage Base(NotifyChannel channel, SendBody body) => new()
    {
        Channel = channel,
        Source = body.Source ?? "",
        Sender = body.Sender ?? "",
        Priority = WireEnums.Priority(body.Priority),
        FrequencyLimitMinutes = body.FrequencyLimit ?? 0,
        FromSysId = body.FromSysId ?? "",
        TofSysId = body.TofSysId ?? "",
        DelaySeconds = body.DelaySeconds ?? RequestFields.DelayFromMilliseconds(body.DelayMills),
    };
}
