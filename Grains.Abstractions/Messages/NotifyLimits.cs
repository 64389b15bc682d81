namespace Notify.Grains.Abstractions.Messages;

/// <summary>
/// Input limits, stated once: the validator enforces them and the README lists them.
/// Lengths are in UTF-16 characters unless named bytes.
/// </summary>
public static class NotifyLimits
{
    public const int MaxReceiversPerList = 500;
    /// <summary>Messages in one batch submit: enough to amortise a call, few enough that one batch never holds a silo for long.</summary>
    public const int MaxBatchMessages = 500;
    public const int MaxAddressLength = 254;
    public const int MaxTitleLength = 512;
    public const int MaxVoiceTaskNameLength = 200;
    public const int MaxEmailBodyLength = 1_000_000;
    public const int MaxRtxBodyLength = 16_384;
    public const int MaxWechatBodyLength = 16_384;
    public const int MaxSmsBodyLength = 1_000;
    public const int MaxVoiceContentLength = 1_000;
    public const int MaxRobotMessageLength = 20_480;
    public const int MaxMentionedUsers = 100;
    public const int MaxSourceLength = 64;
    public const int MaxSenderLength = 128;
    public const int MaxSysIdLength = 64;
    public const int MaxReferenceLength = 256;
    public const int MaxFrequencyLimitMinutes = 7 * 24 * 60;
    public const int MaxDelaySeconds = 7 * 24 * 60 * 60;
    public const int MaxVoiceRecallTimes = 10;
    public const int MaxVoiceRecallIntervalSeconds = 3600;

    public static int MaxBodyLength(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Email => MaxEmailBodyLength,
        NotifyChannel.Rtx => MaxRtxBodyLength,
        NotifyChannel.Wechat => MaxWechatBodyLength,
        NotifyChannel.Sms => MaxSmsBodyLength,
        NotifyChannel.Voice => MaxVoiceContentLength,
        NotifyChannel.Wework => MaxRobotMessageLength,
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
