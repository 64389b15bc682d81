using System.Text.Json;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Bkci;

// BK-CI's request classes as its Jackson writes them. Only the fields this cluster uses are declared, so a used field of
// the wrong JSON type is still refused naming it; everything else BK-CI sends (source as 0/1, receiversEmpty, v2ExtInfo…)
// stays in UnknownFields and is counted by BkciUnusedFields, whose Known lists them per path.

/// <summary>The fields of BK-CI's <c>BaseMessage</c>/<c>IEvent</c> this cluster uses.</summary>
public abstract class BkciBaseMessageBody : RestBody
{
    /// <summary>Minutes.</summary>
    public int? FrequencyLimit { get; init; }

    public string? FromSysId { get; init; }

    public string? TofSysId { get; init; }

    /// <summary>Milliseconds; rounded up to seconds.</summary>
    public long? DelayMills { get; init; }
}

/// <summary>The fields every per-channel class of <c>/service/notifies</c> has besides the base.</summary>
public abstract class BkciChannelMessageBody : BkciBaseMessageBody
{
    /// <summary>A Kotlin set, so a JSON array.</summary>
    public List<string>? Receivers { get; init; }

    public string? Body { get; init; }

    public string? Sender { get; init; }

    /// <summary><c>EnumNotifyPriority</c>'s <c>@JsonValue</c> is a string: <c>"-1"</c>, <c>"0"</c>, <c>"1"</c> (numbers are read too).</summary>
    public int? Priority { get; init; }
}

/// <summary><c>POST /service/notifies/email</c>: <c>EmailNotifyMessage</c>.</summary>
public sealed class BkciEmailBody : BkciChannelMessageBody
{
    public List<string>? Cc { get; init; }

    public List<string>? Bcc { get; init; }

    public string? Title { get; init; }

    /// <summary><c>EnumEmailFormat</c>'s <c>@JsonValue</c>: 0 plain text, 1 HTML.</summary>
    public int? Format { get; init; }
}

/// <summary><c>POST /service/notifies/rtx</c>: <c>RtxNotifyMessage</c>.</summary>
public sealed class BkciRtxBody : BkciChannelMessageBody
{
    public string? Title { get; init; }
}

/// <summary><c>POST /service/notifies/wechat</c>: <c>WechatNotifyMessage</c>.</summary>
public sealed class BkciWechatBody : BkciChannelMessageBody;

/// <summary><c>POST /service/notifies/sms</c>: <c>SmsNotifyMessage</c>.</summary>
public sealed class BkciSmsBody : BkciChannelMessageBody;

/// <summary><c>POST /service/notifies/wework/robot</c>: <c>WeworkRobotNotifyMessage</c> (a data class, not a BaseMessage).</summary>
public sealed class BkciWeworkRobotBody : RestBody
{
    /// <summary>One string of ids separated by <c>,</c> or <c>;</c>, as BK-CI splits it.</summary>
    public string? Receivers { get; init; }

    /// <summary><c>WeworkReceiverType</c>: <c>single</c> or <c>group</c>.</summary>
    public string? ReceiverType { get; init; }

    /// <summary><c>WeworkTextType</c>: <c>text</c> or <c>markdown</c>.</summary>
    public string? TextType { get; init; }

    public string? Message { get; init; }

    /// <summary>
    /// Not in BK-CI's class (its one robot is configuration): this cluster's named robot, for callers with several. Absent
    /// means the default robot, as in BK-CI.
    /// </summary>
    public string? Robot { get; init; }

    /// <summary>Not in BK-CI's class either: the webhook's <c>mentioned_mobile_list</c> (BK-CI's <c>MsgInfo</c> has it).</summary>
    public List<string>? MentionedMobileList { get; init; }
}

/// <summary><c>POST /service/notify/message/template/send</c>: <c>SendNotifyMessageTemplateRequest</c>.</summary>
public sealed class BkciTemplateSendBody : RestBody
{
    public string? TemplateCode { get; init; }

    public List<string>? Receivers { get; init; }

    /// <summary><c>NotifyType</c> names (<c>EMAIL</c>, <c>RTX</c>, <c>WECHAT</c>, <c>SMS</c>, <c>VOICE</c>, <c>WEWORK_GROUP</c>…); null means the template's scope.</summary>
    public List<string>? NotifyType { get; init; }

    public Dictionary<string, JsonElement>? TitleParams { get; init; }

    public Dictionary<string, JsonElement>? BodyParams { get; init; }

    public List<string>? Cc { get; init; }

    public List<string>? Bcc { get; init; }
}
