using System.Globalization;
using System.Text;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Attention;

/// <summary>
/// The one message of a digest: an ordinary message to the person on the digest's channel, one line per held notice
/// (alert name, alert id, link if any), as many as the channel's body holds, then how many more there were. It is not
/// an alert notice itself, so the budget never holds it.
/// </summary>
public static class AttentionDigestMessages
{
    /// <summary><c>attention-digest:&lt;digest id&gt;</c>, so the record says where the message came from.</summary>
    public static string Reference(string digestId) => "attention-digest:" + digestId;

    public static NotifyMessage Build(AttentionDigest digest, string receiver)
    {
        if (!NotifyChannels.TryParse(digest.Channel, out var channel))
        {
            throw new ArgumentException($"digest {digest.DigestId} is for unknown channel '{digest.Channel}'", nameof(digest));
        }

        var count = digest.Entries.Count;
        var summary = string.Create(CultureInfo.InvariantCulture, $"{count} alert notice{(count == 1 ? "" : "s")} held back by your attention budget");
        return new NotifyMessage
        {
            Channel = channel,
            Receivers = [receiver],
            Title = channel is NotifyChannel.Email or NotifyChannel.Rtx or NotifyChannel.Voice ? summary : "",
            Body = Body(summary, digest.Entries, NotifyLimits.MaxBodyLength(channel)),
            Priority = NotifyPriority.High,
            Source = digest.Entries.Count > 0 ? digest.Entries[0].Source : "",
            Reference = Reference(digest.DigestId),
        };
    }

    private static string Body(string summary, IReadOnlyList<AttentionNotice> entries, int maxLength)
    {
        var body = new StringBuilder(summary).Append(':');
        for (var i = 0; i < entries.Count; i++)
        {
            var line = "\n- " + Line(entries[i]);
            var rest = entries.Count - i - 1;
            var more = rest == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"\n… and {rest} more");
            if (body.Length + line.Length + more.Length > maxLength)
            {
                return body.Append(string.Create(CultureInfo.InvariantCulture, $"\n… and {entries.Count - i} more")).ToString();
            }

            body.Append(line);
        }

        return body.ToString();
    }

    private static string Line(AttentionNotice notice)
    {
        var line = $"{notice.AlertTitle} (alert {notice.AlertId})";
        return notice.Link is { Length: > 0 } link ? $"{line} {link}" : line;
    }
}
