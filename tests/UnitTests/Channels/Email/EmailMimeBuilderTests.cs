using MimeKit;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Email;
using Xunit;

namespace Notify.UnitTests.Channels.Email;

public sealed class EmailMimeBuilderTests
{
    private static readonly MailboxAddress From = new("Notify", "notify@example.com");
    private static readonly DateTimeOffset Date = new(2026, 11, 23, 8, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Build_RecipientsByKind_ToAndCcInHeadersBccOnlyInEnvelope()
    {
        var envelope = Build(Delivery([("a@example.com", RecipientKind.To), ("c@example.com", RecipientKind.Cc), ("b@example.com", RecipientKind.Bcc)]));

        Assert.Equal(["a@example.com"], envelope.Message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["c@example.com"], envelope.Message.Cc.Mailboxes.Select(m => m.Address));
        Assert.Empty(envelope.Message.Bcc);
        Assert.DoesNotContain("b@example.com", Format(envelope.Message), StringComparison.Ordinal);
        Assert.Equal(["a@example.com", "c@example.com", "b@example.com"], envelope.Recipients.Select(m => m.Address));
        Assert.Equal("notify@example.com", envelope.Sender.Address);
    }

    [Fact]
    public void Build_AddressListedTwice_OneEnvelopeRecipientInTheFirstHeader()
    {
        var envelope = Build(Delivery([("a@example.com", RecipientKind.To), ("A@Example.com", RecipientKind.Cc), ("a@example.com", RecipientKind.Bcc)]));

        Assert.Equal(["a@example.com"], envelope.Recipients.Select(m => m.Address));
        Assert.Single(envelope.Message.To);
        Assert.Empty(envelope.Message.Cc);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("Bob <bob@example.com>")]
    [InlineData("a@example.com, c@example.com")]
    public void Build_NotOnePlainAddress_ListedUnparsableAndLeftOut(string address)
    {
        var envelope = Build(Delivery([("a@example.com", RecipientKind.To), (address, RecipientKind.To)]));

        Assert.Equal([address], envelope.UnparsableAddresses);
        Assert.Equal(["a@example.com"], envelope.Recipients.Select(m => m.Address));
        Assert.Equal(["a@example.com"], envelope.Message.To.Mailboxes.Select(m => m.Address));
    }

    [Theory]
    [InlineData("", "Notify")]
    [InlineData("蓝鲸流水线", "蓝鲸流水线")]
    public void Build_Sender_IsTheFromDisplayNameWhenSet(string sender, string expectedName)
    {
        var delivery = Delivery([("a@example.com", RecipientKind.To)]);

        var envelope = Build(delivery with { Message = delivery.Message with { Sender = sender } });

        var from = Assert.Single(envelope.Message.From.Mailboxes);
        Assert.Equal(expectedName, from.Name);
        Assert.Equal("notify@example.com", from.Address);
    }

    [Fact]
    public void Build_ChineseTitle_EncodedAsUtf8AndDecodesBack()
    {
        const string title = "构建失败：流水线「发布」";
        var message = Build(Delivery([("a@example.com", RecipientKind.To)], title: title)).Message;

        var text = Format(message);
        var subjectLine = text.Split("\r\n").Single(l => l.StartsWith("Subject:", StringComparison.Ordinal));
        Assert.Contains("=?utf-8?", subjectLine, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(title, Reparse(message).Subject);
    }

    [Theory]
    [InlineData(EmailFormat.Text, "text/plain")]
    [InlineData(EmailFormat.Html, "text/html")]
    public void Build_Format_BodyOfThatMimeTypeInUtf8AndSevenBitSafe(EmailFormat format, string mimeType)
    {
        var message = Build(Delivery([("a@example.com", RecipientKind.To)], body: "正文 body", format: format)).Message;

        var part = Assert.IsType<TextPart>(message.Body);
        Assert.Equal(mimeType, part.ContentType.MimeType);
        Assert.Equal("utf-8", part.ContentType.Charset, ignoreCase: true);
        Assert.Contains(part.ContentTransferEncoding, new[] { ContentEncoding.QuotedPrintable, ContentEncoding.Base64 });
        Assert.Equal("正文 body", part.Text);
    }

    [Fact]
    public void Build_AsciiBody_SevenBit()
    {
        var part = Assert.IsType<TextPart>(Build(Delivery([("a@example.com", RecipientKind.To)], body: "all ascii")).Message.Body);

        Assert.Equal(ContentEncoding.SevenBit, part.ContentTransferEncoding);
    }

    [Fact]
    public void Build_OtherAttempt_SameMessageIdFromTheNotifyMessageId()
    {
        var delivery = Delivery([("a@example.com", RecipientKind.To)]);

        var first = Build(delivery).Message;
        var retry = Build(delivery with { Attempt = 3 }).Message;

        Assert.Equal($"{delivery.MessageId}@example.com", first.MessageId);
        Assert.Equal(first.MessageId, retry.MessageId);
        Assert.Equal(delivery.MessageId, first.Headers[EmailMimeBuilder.NotifyMessageIdHeader]);
        Assert.Equal(first.MessageId, Reparse(first).MessageId);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a<b>c")]
    [InlineData(".leading")]
    [InlineData("two..dots")]
    [InlineData("")]
    public void MessageIdFor_NotADotAtom_UsesItsSha256(string messageId)
    {
        var id = EmailMimeBuilder.MessageIdFor(messageId, From);

        var left = id.Split('@')[0];
        Assert.Equal(64, left.Length);
        Assert.True(left.All(char.IsAsciiHexDigitLower), id);
        Assert.EndsWith("@example.com", id, StringComparison.Ordinal);
        Assert.Equal(id, EmailMimeBuilder.MessageIdFor(messageId, From));
    }

    [Fact]
    public void MessageIdFor_SenderWithoutDomain_UsesLocalhost()
    {
        Assert.Equal("msg_1@localhost", EmailMimeBuilder.MessageIdFor("msg_1", new MailboxAddress("", "notify")));
    }

    [Theory]
    [InlineData(NotifyPriority.High, "1 (Highest)", "high")]
    [InlineData(NotifyPriority.Normal, null, null)]
    [InlineData(NotifyPriority.Low, "5 (Lowest)", "low")]
    public void Build_Priority_SetsXPriorityAndImportance(NotifyPriority priority, string? xPriority, string? importance)
    {
        var delivery = Delivery([("a@example.com", RecipientKind.To)]);
        var message = Build(delivery with { Message = delivery.Message with { Priority = priority } }).Message;

        Assert.Equal(xPriority, message.Headers[HeaderId.XPriority]);
        Assert.Equal(importance, message.Headers[HeaderId.Importance]);
    }

    [Fact]
    public void Build_SameInputs_SameBytes()
    {
        var delivery = Delivery([("a@example.com", RecipientKind.To), ("b@example.com", RecipientKind.Cc)], title: "标题", body: "<p>内容</p>", format: EmailFormat.Html);

        Assert.Equal(Format(Build(delivery).Message), Format(Build(delivery).Message));
        Assert.Equal(Date, Build(delivery).Message.Date);
    }

    private static EmailEnvelope Build(ChannelDelivery delivery) => EmailMimeBuilder.Build(delivery, From, Date);

    private static ChannelDelivery Delivery(
        IReadOnlyList<(string Address, RecipientKind Kind)> recipients, string title = "Build failed", string body = "Step 3 failed.", EmailFormat format = EmailFormat.Text)
    {
        var message = new NotifyMessage
        {
            Channel = NotifyChannel.Email,
            Receivers = recipients.Select(r => r.Address).ToArray(),
            Title = title,
            Body = body,
            Format = format,
        };
        return new ChannelDelivery("msg_0195f1c2a4b67c3d8e9f0a1b2c3d4e5f", 1, message,
            recipients.Select(r => new DeliveryRecipient(r.Address, r.Address, r.Kind)).ToArray());
    }

    private static string Format(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static MimeMessage Reparse(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }
}
