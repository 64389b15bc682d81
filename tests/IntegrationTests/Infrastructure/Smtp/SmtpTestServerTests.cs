using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Xunit;

namespace Notify.IntegrationTests.Infrastructure.Smtp;

/// <summary>The parts of the test server that the e-mail channel's tests do not reach on their own.</summary>
public sealed class SmtpTestServerTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AuthLogin_ValidCredentials_Authenticates()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Credentials = new SmtpTestCredentials("bot", "pw") });
        using var client = new SmtpClient();
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);
        client.AuthenticationMechanisms.Remove("PLAIN");

        await client.AuthenticateAsync("bot", "pw", TestContext.Current.CancellationToken);
        await client.SendAsync(NewMessage("hello"), TestContext.Current.CancellationToken);

        Assert.Equal("bot", Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken)).AuthenticatedUser);
    }

    [Fact]
    public async Task MailFrom_CredentialsConfiguredButNotAuthenticated_Refused530()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Credentials = new SmtpTestCredentials("bot", "pw") });
        using var client = new SmtpClient();
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() => client.SendAsync(NewMessage("hello"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Data_LinesStartingWithDots_AreUnstuffed()
    {
        const string body = ".one dot\n..two dots\n.\nend\n";
        await using var server = SmtpTestServer.Start();
        using var client = new SmtpClient();
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);

        await client.SendAsync(NewMessage(body), TestContext.Current.CancellationToken);

        var received = Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken));
        Assert.Equal(body, received.Message.TextBody?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task FailData_Times_FailsThatManyMessagesThenAccepts()
    {
        await using var server = SmtpTestServer.Start();
        server.Faults.FailData(451, "try later", times: 2);
        using var client = new SmtpClient();
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);

        var first = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(NewMessage("1"), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(NewMessage("2"), TestContext.Current.CancellationToken));
        await client.SendAsync(NewMessage("3"), TestContext.Current.CancellationToken);

        Assert.Equal(451, (int)first.StatusCode);
        Assert.Equal("3", Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken)).Message.TextBody?.Trim());
    }

    [Fact]
    public async Task WaitForMessagesAsync_TooFewArrive_ThrowsTimeoutSayingHowMany()
    {
        await using var server = SmtpTestServer.Start();
        using var client = new SmtpClient();
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);
        await client.SendAsync(NewMessage("only one"), TestContext.Current.CancellationToken);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            server.WaitForMessagesAsync(2, TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));

        Assert.Contains("2 message(s)", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("1 message(s) accepted", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForMessageAsync_MatchArrivesLater_ReturnsIt()
    {
        await using var server = SmtpTestServer.Start();
        using var client = new SmtpClient();
        await client.ConnectAsync(server.Host, server.Port, SecureSocketOptions.None, TestContext.Current.CancellationToken);

        var waiting = server.WaitForMessageAsync(m => m.Message.Subject == "second", WaitTimeout, TestContext.Current.CancellationToken);
        await client.SendAsync(NewMessage("a", subject: "first"), TestContext.Current.CancellationToken);
        await client.SendAsync(NewMessage("b", subject: "second"), TestContext.Current.CancellationToken);

        Assert.Equal("b", (await waiting).Message.TextBody?.Trim());
    }

    private static MimeMessage NewMessage(string body, string subject = "test")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.com"));
        message.To.Add(MailboxAddress.Parse("alice@example.com"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }
}
