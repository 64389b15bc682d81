using Notify.Grains.Abstractions.Messages;

namespace Notify.Client;

/// <summary>BK-CI's BaseMessage fields and the idempotency key, shared by every send; the defaults are BK-CI's.</summary>
public sealed record SendOptions
{
    public static SendOptions Default { get; } = new();

    /// <summary>Calling system or module ("process", "quality", "ci"…).</summary>
    public string Source { get; init; } = "";

    public string Sender { get; init; } = "";

    public NotifyPriority Priority { get; init; } = NotifyPriority.Normal;

    /// <summary>Minutes within which the same content is not sent again to the same receiver; 0 = no limit.</summary>
    public int FrequencyLimitMinutes { get; init; }

    /// <summary>Seconds to wait before the first attempt; 0 = now.</summary>
    public int DelaySeconds { get; init; }

    public string FromSysId { get; init; } = "";

    public string TofSysId { get; init; } = "";

    /// <summary>Free-form link back to what caused the message, kept on the record.</summary>
    public string Reference { get; init; } = "";

    /// <summary>Idempotency key: submitting the same key again is meant to give the same message.</summary>
    public string? RequestId { get; init; }

    /// <summary><paramref name="message"/> with these base fields (not the request id, which goes with the send).</summary>
    public NotifyMessage Apply(NotifyMessage message) => message with
    {
        Source = Source,
        Sender = Sender,
        Priority = Priority,
        FrequencyLimitMinutes = FrequencyLimitMinutes,
        DelaySeconds = DelaySeconds,
        FromSysId = FromSysId,
        TofSysId = TofSysId,
        Reference = Reference,
    };
}
