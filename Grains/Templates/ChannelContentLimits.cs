using System.Text;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>
/// How much rendered content each channel takes, in UTF-16 characters, and the one function that fits content to it. Each limit
/// is at most the direct-send limit in <see cref="NotifyLimits"/>, so a fitted message always passes <see cref="NotifyMessageValidator"/>.
/// The robot is only held to the validator's size: its transport splits long content into byte-safe chunks (2048-byte text,
/// 4096-byte markdown), so cutting it here would lose what splitting keeps.
/// </summary>
public static class ChannelContentLimits
{
    /// <summary>Subjects longer than this are cut by many mail clients and some servers.</summary>
    public const int EmailSubjectLength = 256;

    /// <summary>Long-SMS providers cap one message around 500 characters (counted as characters, not bytes).</summary>
    public const int SmsLength = 500;

    /// <summary>Text-to-speech content: longer calls are not listened to and providers refuse them.</summary>
    public const int VoiceContentLength = 500;

    public static int TitleLength(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Email => EmailSubjectLength,
        NotifyChannel.Voice => NotifyLimits.MaxVoiceTaskNameLength,
        _ => NotifyLimits.MaxTitleLength,
    };

    public static int BodyLength(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Sms => SmsLength,
        NotifyChannel.Voice => VoiceContentLength,
        _ => NotifyLimits.MaxBodyLength(channel),
    };

    /// <summary>Channels whose messages have no title: a rendered title becomes the first line of the body.</summary>
    public static bool HasTitle(NotifyChannel channel) => channel is NotifyChannel.Email or NotifyChannel.Rtx or NotifyChannel.Voice;

    /// <summary>
    /// Fits rendered text to <paramref name="channel"/>: moves the title into the body where the channel has none, replaces line
    /// breaks and control characters in titles (headers cannot carry them), and truncates to the limits, recording each change.
    /// </summary>
    /// <exception cref="TemplateRenderException">The body (or a required title) is empty after rendering.</exception>
    public static RenderedContent Fit(NotifyChannel channel, string title, string body, EmailFormat format, RobotTextType textType)
    {
        var adjustments = new List<string>();
        if (!HasTitle(channel))
        {
            body = title.Trim().Length > 0 ? title.Trim() + "\n" + body : body;
            title = "";
        }

        var titleField = WireNames.Title(channel);
        var bodyField = WireNames.Body(channel);
        var flatTitle = FlattenControlCharacters(title);
        if (flatTitle != title)
        {
            adjustments.Add($"{titleField}: line breaks and control characters replaced by spaces");
        }

        title = Cut(flatTitle, TitleLength(channel), titleField, channel, adjustments);
        body = Cut(body, BodyLength(channel), bodyField, channel, adjustments);

        if (string.IsNullOrWhiteSpace(body))
        {
            throw new TemplateRenderException(bodyField, $"renders empty on {channel.Name()}");
        }

        if (channel is NotifyChannel.Email or NotifyChannel.Rtx && title.Length == 0)
        {
            throw new TemplateRenderException(titleField, $"renders empty on {channel.Name()}, which needs one");
        }

        return new RenderedContent
        {
            Channel = channel,
            Title = title,
            Body = body,
            Format = channel == NotifyChannel.Email ? format : EmailFormat.Text,
            TextType = channel == NotifyChannel.Wework ? textType : RobotTextType.Text,
            Adjustments = adjustments,
        };
    }

    private static string Cut(string text, int limit, string field, NotifyChannel channel, List<string> adjustments)
    {
        var cut = TextTruncation.Truncate(text, limit);
        if (cut.Length != text.Length)
        {
            adjustments.Add($"{field} truncated from {text.Length} to {cut.Length} characters ({channel.Name()} limit {limit})");
        }

        return cut;
    }

    private static string FlattenControlCharacters(string title)
    {
        if (!title.Any(char.IsControl))
        {
            return title;
        }

        var flat = new StringBuilder(title.Length);
        foreach (var c in title)
        {
            if (!char.IsControl(c))
            {
                flat.Append(c);
            }
            else if (flat.Length > 0 && flat[^1] != ' ')
            {
                flat.Append(' ');
            }
        }

        return flat.ToString().Trim();
    }
}
