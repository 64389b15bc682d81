namespace Notify.Grains.Abstractions;

/// <summary>The six delivery channels of BK-CI's Notify service.</summary>
[GenerateSerializer, Alias("notify.NotifyChannel")]
public enum NotifyChannel
{
    /// <summary>E-mail over SMTP.</summary>
    Email = 0,
    /// <summary>WeCom (formerly RTX) application message to users.</summary>
    Rtx = 1,
    /// <summary>WeChat message.</summary>
    Wechat = 2,
    /// <summary>Text message to a phone.</summary>
    Sms = 3,
    /// <summary>Voice call to a phone.</summary>
    Voice = 4,
    /// <summary>WeCom group robot (webhook).</summary>
    Wework = 5,
}

public static class NotifyChannels
{
    public static IReadOnlyList<NotifyChannel> All { get; } = Enum.GetValues<NotifyChannel>();

    /// <summary>The lower-case name used in paths, grain keys, outbox folders and metric labels.</summary>
    public static string Name(this NotifyChannel channel) => channel switch
    {
        NotifyChannel.Email => "email",
        NotifyChannel.Rtx => "rtx",
        NotifyChannel.Wechat => "wechat",
        NotifyChannel.Sms => "sms",
        NotifyChannel.Voice => "voice",
        NotifyChannel.Wework => "wework",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel"),
    };

    public static bool TryParse(string? name, out NotifyChannel channel)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                channel = candidate;
                return true;
            }
        }

        channel = default;
        return false;
    }
}
