using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Actions;

/// <summary>
/// Turns a rendered notice into the one message of a notice way: the title only where the channel has one, text cut
/// to the channel's limits (recorded as an adjustment), high priority, and the reference and completion listener that
/// lead the outcome back to the instance.
/// </summary>
public static class ActionNoticeMessages
{
    /// <summary><c>action:&lt;id&gt;/&lt;step&gt;/&lt;executeTimes&gt;/&lt;way&gt;</c>, with <c>/retry-&lt;n&gt;</c> for a retry.</summary>
    public static string Reference(string actionId, NotifyStep step, int executeTimes, int retryTimes, NoticeWay way)
    {
        var reference = string.Create(CultureInfo.InvariantCulture, $"action:{actionId}/{step.WireName()}/{executeTimes}/{way}");
        return retryTimes > 0 ? string.Create(CultureInfo.InvariantCulture, $"{reference}/retry-{retryTimes}") : reference;
    }

    /// <summary>A stable idempotency key per reference, so a run resubmitted after a crash can be recognised as the same message.</summary>
    public static string RequestId(string reference) =>
        "act-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)))[..40];

    /// <summary>
    /// The message of one notice way, sent and recorded under <paramref name="source"/>, the instance's owner (so its
    /// records are the owner's to read). <paramref name="frequencyLimitMinutes"/> is the instance's
    /// <c>notifyConfig.frequencyLimit</c>: the delivery pipeline suppresses receivers who had the same content within it.
    /// The alert's level, id and name mark the message as an alert notice of <paramref name="actionId"/>, which the
    /// attention budget counts (and a digest lists).
    /// </summary>
    public static NotifyMessage Build(
        RenderedNotice notice, NoticeWay way, IReadOnlyList<string> receivers, string source, string reference, string completionListener, int frequencyLimitMinutes,
        ActionAlert alert, string actionId)
    {
        var adjustments = new List<string>(notice.Adjustments);
        var channel = way.Channel;
        var title = channel switch
        {
            NotifyChannel.Email or NotifyChannel.Rtx => Fit(HeaderText(notice.Title), NotifyLimits.MaxTitleLength, "title", adjustments),
            NotifyChannel.Voice => Fit(HeaderText(notice.Title), NotifyLimits.MaxVoiceTaskNameLength, "taskName", adjustments),
            _ => "",
        };

        return new NotifyMessage
        {
            Channel = channel,
            Receivers = receivers,
            Title = title,
            Body = Fit(notice.Body, NotifyLimits.MaxBodyLength(channel), WireNames.Body(channel), adjustments),
            Format = channel == NotifyChannel.Email ? notice.Format : EmailFormat.Text,
            TextType = channel == NotifyChannel.Wework ? notice.TextType : RobotTextType.Text,
            Priority = NotifyPriority.High,
            FrequencyLimitMinutes = frequencyLimitMinutes,
            Source = source,
            Reference = reference,
            CompletionListener = completionListener,
            Adjustments = adjustments,
            AlertLevel = alert.Level,
            AlertId = alert.Id,
            AlertName = alert.Name,
            ActionId = actionId,
        };
    }

    private static string HeaderText(string text) =>
        new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();

    private static string Fit(string text, int maxLength, string field, List<string> adjustments)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        adjustments.Add(string.Create(CultureInfo.InvariantCulture, $"{field} cut from {text.Length} to {maxLength} characters"));
        var cut = maxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "…";
    }
}
