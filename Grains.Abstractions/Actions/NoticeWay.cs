using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// A bk-monitor notice way mapped to a delivery channel. Written <c>name</c> or, for the group robot, <c>name|chatid</c>
/// (bk-monitor's <c>channel|way</c> split): the robot's receiver is the chat id, every other way reaches the members of
/// the instance's user groups.
/// </summary>
public sealed record NoticeWay(string Name, NotifyChannel Channel, string ChatId)
{
    public const string Mail = "mail";
    public const string Rtx = "rtx";
    public const string Sms = "sms";
    public const string Voice = "voice";
    public const string Weixin = "weixin";
    public const string WxworkBot = "wxwork-bot";

    private static readonly IReadOnlyDictionary<string, NotifyChannel> Channels = new Dictionary<string, NotifyChannel>(StringComparer.OrdinalIgnoreCase)
    {
        [Mail] = NotifyChannel.Email,
        [Rtx] = NotifyChannel.Rtx,
        [Sms] = NotifyChannel.Sms,
        [Voice] = NotifyChannel.Voice,
        [Weixin] = NotifyChannel.Wechat,
        [WxworkBot] = NotifyChannel.Wework,
    };

    /// <summary>True for the robot, whose receiver is its chat id rather than the user groups' members.</summary>
    public bool IsRobot => Channel == NotifyChannel.Wework;

    /// <summary>The way as written in configuration and used as the key of notice results.</summary>
    public override string ToString() => ChatId.Length > 0 ? $"{Name}|{ChatId}" : Name;

    public static NoticeWay Parse(string text) =>
        TryParse(text, out var way, out var error) ? way : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why in words for the caller.</summary>
    public static bool TryParse(string? text, out NoticeWay way, out string error)
    {
        way = null!;
        var trimmed = text?.Trim() ?? "";
        var bar = trimmed.IndexOf('|');
        var name = bar < 0 ? trimmed : trimmed[..bar];
        var chatId = bar < 0 ? "" : trimmed[(bar + 1)..];
        if (!Channels.TryGetValue(name, out var channel))
        {
            error = $"'{trimmed}' is not a notice way (known: {string.Join(", ", Channels.Keys)}; the robot is written wxwork-bot|<chatid>)";
            return false;
        }

        if (channel == NotifyChannel.Wework)
        {
            if (ReceiverSyntax.Check(NotifyChannel.Wework, chatId) is { } reason)
            {
                error = chatId.Length == 0 ? "wxwork-bot needs a chat id: wxwork-bot|<chatid>" : $"'{chatId}' {reason}";
                return false;
            }
        }
        else if (bar >= 0)
        {
            error = $"'{trimmed}': only wxwork-bot takes a '|<chatid>' part";
            return false;
        }

        way = new NoticeWay(name.ToLowerInvariant(), channel, chatId);
        error = "";
        return true;
    }
}
