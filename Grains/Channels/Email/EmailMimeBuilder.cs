using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Text;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Channels.Email;

/// <summary>
/// A delivery as SMTP sees it: the MIME message (Bcc never in its headers) and the envelope (MAIL FROM and one
/// RCPT TO per distinct address, Bcc included).
/// </summary>
/// <param name="UnparsableAddresses">
/// Recipient addresses that are not one plain address (<c>user@example.com</c>) by MimeKit's parser; they are in
/// neither headers nor envelope.
/// </param>
public sealed record EmailEnvelope(
    MimeMessage Message,
    MailboxAddress Sender,
    IReadOnlyList<MailboxAddress> Recipients,
    IReadOnlyList<string> UnparsableAddresses);

/// <summary>
/// EmailMimeBuilder turns a <see cref="ChannelDelivery"/> into the e-mail the SMTP transport sends and the outbox
/// writes. Pure: the same delivery, sender and date give the same bytes, so a retry carries the same Message-Id.
/// </summary>
public static class EmailMimeBuilder
{
    /// <summary>Carries the notification message id, for tracing a received e-mail back to its record.</summary>
    public const string NotifyMessageIdHeader = "X-Notify-Message-Id";

    private const string FallbackDomain = "localhost";

    public static EmailEnvelope Build(ChannelDelivery delivery, MailboxAddress from, DateTimeOffset date)
    {
        var notification = delivery.Message;
        var envelopeRecipients = new List<MailboxAddress>(delivery.Recipients.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var unparsable = new List<string>();
        var message = new MimeMessage();

        foreach (var recipient in delivery.Recipients)
        {
            if (!MailboxAddress.TryParse(recipient.Address, out var mailbox)
                || !string.IsNullOrEmpty(mailbox.Name)
                || mailbox.Address != recipient.Address)
            {
                unparsable.Add(recipient.Address);
                continue;
            }

            // An address listed twice (To and Cc, or twice in To) gets one RCPT TO and one copy.
            if (!seen.Add(mailbox.Address))
            {
                continue;
            }

            envelopeRecipients.Add(mailbox);
            switch (recipient.Kind)
            {
                case RecipientKind.To:
                    message.To.Add(mailbox);
                    break;
                case RecipientKind.Cc:
                    message.Cc.Add(mailbox);
                    break;
            }
        }

        var displayName = string.IsNullOrEmpty(notification.Sender) ? from.Name : notification.Sender;
        message.From.Add(new MailboxAddress(displayName, from.Address));
        message.Date = date;
        message.MessageId = MessageIdFor(delivery.MessageId, from);
        message.Headers.Replace(HeaderId.Subject, Encoding.UTF8, notification.Title);
        message.Headers.Add(NotifyMessageIdHeader, delivery.MessageId);
        // MimeKit writes X-Priority and Importance for high and low only; no header is how mail programs say normal.
        (message.XPriority, message.Importance) = notification.Priority switch
        {
            NotifyPriority.High => (XMessagePriority.Highest, MessageImportance.High),
            NotifyPriority.Low => (XMessagePriority.Lowest, MessageImportance.Low),
            _ => (XMessagePriority.Normal, MessageImportance.Normal),
        };

        var body = new TextPart(notification.Format == EmailFormat.Html ? TextFormat.Html : TextFormat.Plain);
        body.SetText(Encoding.UTF8, notification.Body);
        // Fixed here rather than left to the SMTP client, so the outbox .eml holds exactly the bytes SMTP sends.
        body.ContentTransferEncoding = body.GetBestEncoding(EncodingConstraint.SevenBit);
        message.Body = body;

        return new EmailEnvelope(message, new MailboxAddress(from.Name, from.Address), envelopeRecipients, unparsable);
    }

    /// <summary>
    /// <c>{messageId}@{sender's domain}</c>: stable across attempts so receiving systems can drop a duplicate
    /// of a resent message. A message id that is not a valid left-hand side is replaced by its SHA-256.
    /// </summary>
    public static string MessageIdFor(string messageId, MailboxAddress from)
    {
        var domain = string.IsNullOrEmpty(from.Domain) ? FallbackDomain : from.Domain;
        var left = IsDotAtom(messageId)
            ? messageId
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)));
        return $"{left}@{domain}";
    }

    private static bool IsDotAtom(string value) =>
        value.Length is > 0 and <= 128
        && value[0] != '.'
        && value[^1] != '.'
        && !value.Contains("..", StringComparison.Ordinal)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c));
}
