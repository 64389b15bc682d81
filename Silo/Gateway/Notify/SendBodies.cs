using System.Text.Json;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Notify;

/// <summary>
/// BK-CI's BaseMessage as JSON. Besides its fields it takes BK-CI's own legacy fields where they mean something
/// (<c>delayMills</c>) and accepts-and-ignores those that do not apply here (<c>retryTime</c>, <c>v2ExtInfo</c>).
/// </summary>
public abstract class SendBody : RestBody
{
    public string? Source { get; init; }

    public string? Sender { get; init; }

    /// <summary>-1 low, 0 normal, 1 high; 2 is taken as high.</summary>
    public int? Priority { get; init; }

    /// <summary>Minutes.</summary>
    public int? FrequencyLimit { get; init; }

    public string? FromSysId { get; init; }

    public string? TofSysId { get; init; }

    public int? DelaySeconds { get; init; }

    /// <summary>BK-CI's delay in milliseconds; used, rounded up to seconds, when <see cref="DelaySeconds"/> is absent.</summary>
    public long? DelayMills { get; init; }

    /// <summary>BK-CI's per-message retry count: ignored, retries follow the cluster's policy.</summary>
    public JsonElement? RetryTime { get; init; }

    /// <summary>BK-CI's extension blob for its v2 notifier: ignored.</summary>
    public JsonElement? V2ExtInfo { get; init; }

    /// <summary>Idempotency key (gRPC <c>request_id</c>).</summary>
    public string? RequestId { get; init; }
}

/// <summary><c>POST /service/notify/email/send</c> (BK-CI EmailNotifyMessage).</summary>
public sealed class EmailSendBody : SendBody
{
    public List<string>? Receivers { get; init; }

    public List<string>? Cc { get; init; }

    public List<string>? Bcc { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    /// <summary>"TEXT" or "HTML".</summary>
    public string? Format { get; init; }

    /// <summary>BK-CI's EmailType (outer/inner mail): ignored, one SMTP route serves both.</summary>
    public JsonElement? Type { get; init; }
}

/// <summary><c>POST /service/notify/rtx/send</c> (BK-CI RtxNotifyMessage).</summary>
public sealed class RtxSendBody : SendBody
{
    public List<string>? Receivers { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }
}

/// <summary><c>POST /service/notify/wechat/send</c> (BK-CI WechatNotifyMessage).</summary>
public sealed class WechatSendBody : SendBody
{
    public List<string>? Receivers { get; init; }

    public string? Body { get; init; }
}

/// <summary><c>POST /service/notify/sms/send</c> (BK-CI SmsNotifyMessage).</summary>
public sealed class SmsSendBody : SendBody
{
    public List<string>? Receivers { get; init; }

    public string? Body { get; init; }
}

/// <summary><c>POST /service/notify/voice/send</c> (BK-CI VoiceNotifyMessage).</summary>
public sealed class VoiceSendBody : SendBody
{
    public List<string>? Receivers { get; init; }

    public string? TaskName { get; init; }

    public string? Content { get; init; }

    public string? TransferReceiver { get; init; }

    /// <summary>Seconds between re-calls.</summary>
    public int? Interval { get; init; }

    /// <summary>Re-calls of an unanswered call.</summary>
    public int? RecallTime { get; init; }
}

/// <summary><c>POST /service/notify/wework/send</c>: the WeCom group robot (BK-CI WeworkNotifyTextMessage).</summary>
public sealed class WeworkSendBody : SendBody
{
    /// <summary>Robot chat ids.</summary>
    public List<string>? Receivers { get; init; }

    /// <summary>"TEXT" or "MARKDOWN".</summary>
    public string? TextType { get; init; }

    public string? Message { get; init; }

    public List<string>? MentionedList { get; init; }

    /// <summary>Phone numbers to @-mention; text messages only.</summary>
    public List<string>? MentionedMobileList { get; init; }

    /// <summary>A configured robot's name (<c>Channels:Wework:Robots:&lt;name&gt;</c>); absent for the default robot.</summary>
    public string? Robot { get; init; }
}
