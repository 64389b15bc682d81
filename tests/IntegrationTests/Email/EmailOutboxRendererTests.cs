using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Email;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Xunit;

namespace Notify.IntegrationTests.Email;

public sealed class EmailOutboxRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(EmailFormat.Text, "纯文本正文\n.leading dot line")]
    [InlineData(EmailFormat.Html, "<p>构建<b>失败</b></p>")]
    public async Task RenderAsync_SameDeliveryAndClock_WritesExactlyTheBytesSmtpDelivered(EmailFormat format, string body)
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server, timeProvider: new FakeTimeProvider(Now));
        var delivery = EmailDeliveries.Create(to: ["alice@example.com"], cc: ["carol@example.com"], bcc: ["dave@example.com"],
            title: "构建失败 #42", body: body, format: format);

        await channel.Transport.SendAsync(delivery, TestContext.Current.CancellationToken);
        using var rendered = new MemoryStream();
        await channel.Outbox.RenderAsync(delivery, rendered, TestContext.Current.CancellationToken);

        var received = Assert.Single(await server.WaitForMessagesAsync(1, TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(received.RawData), System.Text.Encoding.UTF8.GetString(rendered.ToArray()));
    }

    [Fact]
    public async Task RenderAsync_Output_ParsesBackToTheBuilderMessage()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server, timeProvider: new FakeTimeProvider(Now));
        var delivery = EmailDeliveries.Create(to: ["alice@example.com"], bcc: ["dave@example.com"], title: "部署完成", body: "<i>ok</i>", format: EmailFormat.Html);
        var built = EmailMimeBuilder.Build(delivery, MailboxAddress.Parse($"Notify <{EmailChannelHarness.FromAddress}>"), Now).Message;

        using var rendered = new MemoryStream();
        await channel.Outbox.RenderAsync(delivery, rendered, TestContext.Current.CancellationToken);
        rendered.Position = 0;
        using var parsed = await MimeMessage.LoadAsync(rendered, TestContext.Current.CancellationToken);

        Assert.Equal("eml", channel.Outbox.Extension);
        Assert.Equal(built.Subject, parsed.Subject);
        Assert.Equal(built.MessageId, parsed.MessageId);
        Assert.Equal(built.Date, parsed.Date);
        Assert.Equal(built.From.ToString(), parsed.From.ToString());
        Assert.Equal(built.To.ToString(), parsed.To.ToString());
        Assert.Empty(parsed.Bcc);
        Assert.Equal(built.HtmlBody, parsed.HtmlBody?.TrimEnd('\r', '\n'));
        Assert.Equal(delivery.MessageId, parsed.Headers[EmailMimeBuilder.NotifyMessageIdHeader]);
    }
}
