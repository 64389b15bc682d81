using Notify.Grains.Abstractions.Delivery;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Xunit;

namespace Notify.IntegrationTests.Email;

public sealed class SmtpTransportSecurityTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(15);
    private static readonly SmtpTestCredentials Credentials = new("notify-bot", "s3cret-pässword");

    [Theory]
    [InlineData(SmtpTestServerTls.StartTls)]
    [InlineData(SmtpTestServerTls.Implicit)]
    public async Task SendAsync_SelfSignedTlsWithAllowInvalidCertificate_DeliversOverTls(SmtpTestServerTls tls)
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Tls = tls });
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);

        Assert.True(Assert.Single(result.Recipients).Delivered);
        Assert.True(Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken)).Secure);
    }

    [Theory]
    [InlineData(SmtpTestServerTls.StartTls)]
    [InlineData(SmtpTestServerTls.Implicit)]
    public async Task SendAsync_SelfSignedTlsWithoutAllowInvalidCertificate_FailsPermanently(SmtpTestServerTls tls)
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Tls = tls });
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:AllowInvalidCertificate"] = "false" });

        var result = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com"]));

        var failure = Assert.Single(result.Recipients).Failure;
        Assert.Equal(FailureKind.Permanent, failure?.Kind);
        Assert.Contains("TLS", failure!.Error, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_StartTlsRequiredButNotOffered_FailsWithoutSending()
    {
        await using var server = SmtpTestServer.Start();
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:Security"] = "StartTls" });

        var result = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com"]));

        Assert.False(Assert.Single(result.Recipients).Delivered);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_ValidCredentialsOverStartTls_AuthenticatesAndDelivers()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Tls = SmtpTestServerTls.StartTls, Credentials = Credentials });
        await using var channel = EmailChannelHarness.Create(server);

        var result = await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), TestContext.Current.CancellationToken);

        Assert.True(Assert.Single(result.Recipients).Delivered);
        var received = Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, TestContext.Current.CancellationToken));
        Assert.Equal(Credentials.User, received.AuthenticatedUser);
        Assert.True(received.Secure);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_FailsPermanently()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Credentials = Credentials });
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?>
        {
            ["Channels:Email:Password"] = "wrong",
            ["Channels:Email:AllowPlaintextAuth"] = "true",
        });

        var result = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com"]));
        var again = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com"]));

        var failure = Assert.Single(result.Recipients).Failure;
        Assert.Equal(FailureKind.Permanent, failure?.Kind);
        Assert.Contains("authentication", failure!.Error, StringComparison.OrdinalIgnoreCase);
        // The unauthenticated connection is not pooled: the next send connects and authenticates again.
        Assert.Equal(failure, Assert.Single(again.Recipients).Failure);
        Assert.Equal(2, server.ConnectionsOpened);
        Assert.Empty(server.Messages);
    }
}
