using MimeKit;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Email;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Xunit;

namespace Notify.IntegrationTests.Email;

public sealed class SmtpTransportTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SendAsync_ToCcAndBcc_EnvelopeHasAllAndHeadersHaveNoBcc()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);
        var delivery = EmailDeliveries.Create(to: ["alice@example.com", "bob@example.com"], cc: ["carol@example.com"], bcc: ["dave@example.com"]);

        var result = await channel.Transport.SendAsync(delivery, TestContext.Current.CancellationToken);

        Assert.All(result.Recipients, r => Assert.True(r.Delivered, r.Failure?.Error));
        Assert.Equal(["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"], result.Recipients.Select(r => r.Address));
        Assert.All(result.Recipients, r => Assert.StartsWith("2.0.0 Ok: queued as ", r.ProviderMessageId, StringComparison.Ordinal));
        var received = Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken));
        Assert.Equal(EmailChannelHarness.FromAddress, received.EnvelopeFrom);
        Assert.Equal(["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"], received.EnvelopeRecipients);
        Assert.Equal(["alice@example.com", "bob@example.com"], received.Message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["carol@example.com"], received.Message.Cc.Mailboxes.Select(m => m.Address));
        Assert.Empty(received.Message.Bcc);
        Assert.DoesNotContain("dave@example.com", System.Text.Encoding.UTF8.GetString(received.RawData), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(delivery.MessageId, received.Message.Headers[EmailMimeBuilder.NotifyMessageIdHeader]);
    }

    [Theory]
    [InlineData(EmailFormat.Text, "text/plain", "Line one\nLine two")]
    [InlineData(EmailFormat.Html, "text/html", "<p>Build <b>failed</b></p>")]
    public async Task SendAsync_Format_SendsUtf8BodyOfThatMimeType(EmailFormat format, string mimeType, string body)
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);

        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"], body: body, format: format), TestContext.Current.CancellationToken);

        var part = Assert.IsType<TextPart>(Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken)).Message.Body);
        Assert.Equal(mimeType, part.ContentType.MimeType);
        Assert.Equal("utf-8", part.ContentType.Charset, ignoreCase: true);
        // MIME ends the body with a line break; the text is otherwise exactly what was sent.
        Assert.Equal(body.ReplaceLineEndings("\r\n"), part.Text.ReplaceLineEndings("\r\n").TrimEnd('\r', '\n'));
    }

    [Fact]
    public async Task SendAsync_ChineseSubjectAndBody_RoundTrip()
    {
        const string subject = "构建失败：流水线「发布」第 42 次";
        const string body = "您好，流水线执行失败，请及时处理。";
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);

        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"], title: subject, body: body), TestContext.Current.CancellationToken);

        var received = Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken));
        Assert.Equal(subject, received.Message.Subject);
        Assert.Equal(body, received.Message.TextBody?.TrimEnd());
    }

    [Fact]
    public async Task SendAsync_SequentialSends_ReuseOneConnection()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);

        for (var i = 0; i < 10; i++)
        {
            await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);
        }

        await server.WaitForMessagesAsync(10, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(1, server.ConnectionsOpened);
    }

    [Fact]
    public async Task SendAsync_FiftyConcurrentSendsWithMaxConnectionsTwo_OpenAtMostTwoConnections()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:MaxConnections"] = "2" });

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken)));

        Assert.All(results.SelectMany(r => r.Recipients), r => Assert.True(r.Delivered, r.Failure?.Error));
        await server.WaitForMessagesAsync(50, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.InRange(server.ConnectionsOpened, 1, 2);
        Assert.Equal(2, channel.Transport.MaxConcurrency);
    }

    [Fact]
    public async Task SendAsync_TwoHundredConcurrentSendsOverFourConnections_EachArrivesExactlyOnce()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:MaxConnections"] = "4" });
        var deliveries = Enumerable.Range(0, 200).Select(i => EmailDeliveries.Create(to: [$"user{i}@example.com"])).ToArray();

        var results = await Task.WhenAll(deliveries.Select(d => channel.Transport.SendAsync(d, TestContext.Current.CancellationToken)));

        Assert.All(results.SelectMany(r => r.Recipients), r => Assert.True(r.Delivered, r.Failure?.Error));
        var received = await server.WaitForMessagesAsync(200, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(200, received.Count);
        Assert.Equal(
            deliveries.Select(d => d.MessageId).Order(),
            received.Select(m => m.Message.Headers[EmailMimeBuilder.NotifyMessageIdHeader]).Order());
        Assert.All(received, m => Assert.Equal(m.EnvelopeRecipients.Single(), m.Message.To.Mailboxes.Single().Address));
        Assert.InRange(server.ConnectionsOpened, 1, 4);
    }

    [Fact]
    public async Task SendAsync_RecipientRefused550_ThatRecipientFailsPermanentlyAndOthersGetIt()
    {
        await using var server = SmtpTestServer.Start();
        server.Faults.RefuseRecipient("ghost@example.com", 550, "5.1.1 no such user");
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.Transport.SendAsync(
            EmailDeliveries.Create(to: ["alice@example.com", "ghost@example.com"], cc: ["carol@example.com"]), TestContext.Current.CancellationToken);

        var ghost = Assert.Single(result.Recipients, r => r.Address == "ghost@example.com");
        Assert.Equal(FailureKind.Permanent, ghost.Failure?.Kind);
        Assert.Contains("550", ghost.Failure!.Error, StringComparison.Ordinal);
        Assert.Contains("no such user", ghost.Failure.Error, StringComparison.Ordinal);
        Assert.All(result.Recipients.Where(r => r.Address != "ghost@example.com"), r => Assert.True(r.Delivered));
        var received = Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken));
        Assert.Equal(["alice@example.com", "carol@example.com"], received.EnvelopeRecipients);
    }

    [Fact]
    public async Task SendAsync_RecipientRefused451_ThatRecipientFailsTransiently()
    {
        await using var server = SmtpTestServer.Start();
        server.Faults.RefuseRecipient("busy@example.com", 451, "4.2.1 mailbox busy, try later");
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.Transport.SendAsync(
            EmailDeliveries.Create(to: ["alice@example.com"], bcc: ["busy@example.com"]), TestContext.Current.CancellationToken);

        Assert.Equal(FailureKind.Transient, Assert.Single(result.Recipients, r => r.Address == "busy@example.com").Failure?.Kind);
        Assert.True(Assert.Single(result.Recipients, r => r.Address == "alice@example.com").Delivered);
    }

    [Fact]
    public async Task SendAsync_EveryRecipientRefused_EachFailsWithItsOwnReasonAndConnectionStaysUsable()
    {
        await using var server = SmtpTestServer.Start();
        server.Faults.RefuseRecipient("ghost@example.com", 550, "5.1.1 no such user");
        server.Faults.RefuseRecipient("busy@example.com", 452, "4.2.2 mailbox full");
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.Transport.SendAsync(
            EmailDeliveries.Create(to: ["ghost@example.com"], cc: ["busy@example.com"]), TestContext.Current.CancellationToken);
        var next = await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);

        var ghost = Assert.Single(result.Recipients, r => r.Address == "ghost@example.com").Failure;
        var busy = Assert.Single(result.Recipients, r => r.Address == "busy@example.com").Failure;
        Assert.Equal(FailureKind.Permanent, ghost?.Kind);
        Assert.Contains("no such user", ghost!.Error, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Transient, busy?.Kind);
        Assert.Contains("mailbox full", busy!.Error, StringComparison.Ordinal);
        Assert.True(Assert.Single(next.Recipients).Delivered);
        Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken));
        Assert.Equal(1, server.ConnectionsOpened);
    }

    [Theory]
    [InlineData(554, FailureKind.Permanent)]
    [InlineData(451, FailureKind.Transient)]
    public async Task SendAsync_DataRefused_EveryRecipientFailsWithThatKind(int code, FailureKind expected)
    {
        await using var server = SmtpTestServer.Start();
        server.Faults.FailData(code, "message refused by policy");
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.Transport.SendAsync(
            EmailDeliveries.Create(to: ["alice@example.com"], cc: ["carol@example.com"], bcc: ["dave@example.com"]), TestContext.Current.CancellationToken);

        Assert.Equal(3, result.Recipients.Count);
        Assert.All(result.Recipients, r =>
        {
            Assert.Equal(expected, r.Failure?.Kind);
            Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Failure!.Error, StringComparison.Ordinal);
        });
        Assert.Empty(server.Messages);
    }

    [Theory]
    [InlineData(553, FailureKind.Permanent)]
    [InlineData(421, FailureKind.Transient)]
    public async Task SendAsync_MailFromRefused_EveryRecipientFailsWithThatKind(int code, FailureKind expected)
    {
        await using var server = SmtpTestServer.Start();
        server.Faults.FailMailFrom(code, "sender not allowed");
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com", "bob@example.com"]));

        Assert.All(result.Recipients, r => Assert.Equal(expected, r.Failure?.Kind));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_ConnectionDroppedDuringData_ThrowsTransientAndNextSendUsesNewConnection()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);
        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);
        server.Faults.DropConnectionDuringData();

        var dropped = await Assert.ThrowsAnyAsync<Exception>(() =>
            channel.Transport.SendAsync(EmailDeliveries.Create(to: ["bob@example.com"]), TestContext.Current.CancellationToken));
        var next = await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["carol@example.com"]), TestContext.Current.CancellationToken);

        // Unknown or not depending on whether the client had written the end of DATA before it saw the drop.
        Assert.Equal(FailureKind.Transient, SmtpFailureClassifier.Classify(dropped).Kind);
        Assert.True(Assert.Single(next.Recipients).Delivered);
        var received = await server.WaitForMessagesAsync(2, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(["alice@example.com", "carol@example.com"], received.Select(m => m.EnvelopeRecipients.Single()));
        Assert.Equal(2, server.ConnectionsOpened);
        Assert.Equal(2, received[1].ConnectionId);
    }

    [Fact]
    public async Task SendAsync_ConnectionDroppedAtTheDataCommand_IsACleanTransientFailure()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);
        server.Faults.DropConnectionAtDataCommand();

        var result = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com"]));

        var failure = Assert.Single(result.Recipients).Failure;
        Assert.Equal((FailureKind.Transient, false), (failure?.Kind, failure?.OutcomeUnknown));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_ConnectionDroppedAfterData_IsAnUnknownOutcomeAndTheRetryCarriesTheSameMessageId()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);
        server.Faults.DropConnectionAfterData();
        var delivery = EmailDeliveries.Create(to: ["alice@example.com"]);

        var lost = await channel.SendAndClassifyAsync(delivery);
        var retried = await channel.SendAndClassifyAsync(delivery with { Attempt = 2 });

        var failure = Assert.Single(lost.Recipients).Failure;
        Assert.Equal((FailureKind.Transient, true), (failure?.Kind, failure?.OutcomeUnknown));
        Assert.Contains("unexpectedly disconnected", failure!.Error, StringComparison.Ordinal);
        Assert.True(Assert.Single(retried.Recipients).Delivered);
        var received = await server.WaitForMessagesAsync(2, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(received[0].Message.MessageId, received[1].Message.MessageId);
        Assert.Equal(received[0].Message.Headers[EmailMimeBuilder.NotifyMessageIdHeader], received[1].Message.Headers[EmailMimeBuilder.NotifyMessageIdHeader]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_ServerClosedIdleConnection_ReconnectsAndDelivers(bool announced)
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);
        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);
        await server.CloseConnectionsAsync(announced);

        var result = await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["bob@example.com"]), TestContext.Current.CancellationToken);

        Assert.True(Assert.Single(result.Recipients).Delivered, result.Recipients[0].Failure?.Error);
        var received = await server.WaitForMessagesAsync(2, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(2, received.Count);
        Assert.Equal(2, server.ConnectionsOpened);
    }

    [Fact]
    public async Task SendAsync_ServerSlowerThanCommandTimeout_ThrowsTransientAndRecoversWhenFast()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:CommandTimeout"] = "00:00:00.300" });
        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);
        server.Faults.ReplyDelay = TimeSpan.FromSeconds(3);

        var slow = await Assert.ThrowsAnyAsync<Exception>(() =>
            channel.Transport.SendAsync(EmailDeliveries.Create(to: ["bob@example.com"]), TestContext.Current.CancellationToken));
        server.Faults.Clear();
        var next = await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["carol@example.com"]), TestContext.Current.CancellationToken);

        Assert.Equal(FailureKind.Transient, SmtpFailureClassifier.Classify(slow).Kind);
        Assert.True(Assert.Single(next.Recipients).Delivered);
        var received = await server.WaitForMessagesAsync(2, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(received, m => m.EnvelopeRecipients.Contains("bob@example.com"));
        // A timeout is not retried on a second connection within the call: one for the timed-out send, one after.
        Assert.Equal(2, server.ConnectionsOpened);
    }

    [Fact]
    public async Task SendAsync_GreetingSlowerThanConnectTimeout_ThrowsTimeoutNamingTheKey()
    {
        await using var server = SmtpTestServer.Start();
        server.Faults.ReplyDelay = TimeSpan.FromSeconds(5);
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?>
        {
            ["Channels:Email:ConnectTimeout"] = "00:00:00.200",
            ["Channels:Email:CommandTimeout"] = "00:01:00",
        });

        var slow = await Assert.ThrowsAsync<TimeoutException>(() =>
            channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken));

        Assert.Contains("Channels:Email:ConnectTimeout", slow.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Transient, SmtpFailureClassifier.Classify(slow).Kind);
    }

    [Fact]
    public async Task SendAsync_NothingListening_ThrowsTransient()
    {
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(
            server, new Dictionary<string, string?> { ["Channels:Email:Port"] = closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var result = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com"]));

        Assert.Equal(FailureKind.Transient, Assert.Single(result.Recipients).Failure?.Kind);
    }

    [Fact]
    public async Task SendAsync_SameMessageTwice_CarriesTheSameMessageId()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);
        var first = EmailDeliveries.Create(to: ["alice@example.com"]);

        await channel.Transport.SendAsync(first, TestContext.Current.CancellationToken);
        await channel.Transport.SendAsync(first with { Attempt = 2 }, TestContext.Current.CancellationToken);

        var received = await server.WaitForMessagesAsync(2, WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal($"{first.MessageId}@example.com", received[0].Message.MessageId);
        Assert.Equal(received[0].Message.MessageId, received[1].Message.MessageId);
    }

    [Fact]
    public async Task SendAsync_UnparsableAddress_FailsItPermanentlyAndDeliversOthers()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.Transport.SendAsync(
            EmailDeliveries.Create(to: ["alice@example.com", "not an address"]), TestContext.Current.CancellationToken);

        Assert.Equal(FailureKind.Permanent, Assert.Single(result.Recipients, r => r.Address == "not an address").Failure?.Kind);
        Assert.True(Assert.Single(result.Recipients, r => r.Address == "alice@example.com").Delivered);
        Assert.Equal(["alice@example.com"], Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken)).EnvelopeRecipients);
    }

    [Fact]
    public async Task Dispose_OpenConnection_SendsQuit()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server);
        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);

        Assert.IsType<SmtpTransport>(channel.Transport).Dispose();

        Assert.Equal(1, server.QuitCommands);
    }

    [Fact]
    public async Task DisposeAsync_OpenConnections_SendsQuitOnEach()
    {
        await using var server = SmtpTestServer.Start();
        var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:MaxConnections"] = "3" });
        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken)));

        await channel.DisposeAsync();

        Assert.InRange(server.ConnectionsOpened, 1, 3);
        Assert.Equal(server.ConnectionsOpened, server.QuitCommands);
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken));
    }
}
