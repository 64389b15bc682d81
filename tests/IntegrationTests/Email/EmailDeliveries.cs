using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.IntegrationTests.Email;

/// <summary>E-mail deliveries for tests, with a fresh message id unless one is given.</summary>
internal static class EmailDeliveries
{
    public static ChannelDelivery Create(
        IReadOnlyList<string> to,
        IReadOnlyList<string>? cc = null,
        IReadOnlyList<string>? bcc = null,
        string title = "Build failed",
        string body = "Pipeline p-1 failed at step 3.",
        EmailFormat format = EmailFormat.Text,
        string? messageId = null)
    {
        cc ??= [];
        bcc ??= [];
        var message = new NotifyMessage
        {
            Channel = NotifyChannel.Email,
            Receivers = to,
            Cc = cc,
            Bcc = bcc,
            Title = title,
            Body = body,
            Format = format,
        };
        var recipients = to.Select(a => new DeliveryRecipient(a, a, RecipientKind.To))
            .Concat(cc.Select(a => new DeliveryRecipient(a, a, RecipientKind.Cc)))
            .Concat(bcc.Select(a => new DeliveryRecipient(a, a, RecipientKind.Bcc)))
            .ToArray();
        return new ChannelDelivery(messageId ?? GrainKeys.NewMessageId(), Attempt: 1, message, recipients);
    }
}
