using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Email;
using Notify.IntegrationTests.Email;
using Notify.IntegrationTests.HttpChannels;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Notify.IntegrationTests.Infrastructure.Smtp;
using static Notify.IntegrationTests.HttpChannels.TestDeliveries;

namespace Notify.IntegrationTests.Security;

/// <summary>
/// What the channels do with the secrets they carry, against the real test SMTP and HTTP provider servers: SMTP
/// upgrades to TLS whenever the server offers STARTTLS and never sends AUTH in cleartext unless told to; provider
/// clients follow no redirect and refuse http:// to a remote host.
/// </summary>
public sealed class ProviderHygieneTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);
    private static readonly SmtpTestCredentials Credentials = new("notify-bot", "s3cret-password");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Smtp_SecurityUnsetAndServerOffersStartTls_UpgradesBeforeSending()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Tls = SmtpTestServerTls.StartTls });
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:Security"] = null });

        var result = await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), Ct);

        Assert.True(Assert.Single(result.Recipients).Delivered);
        Assert.True(Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, Ct)).Secure);
    }

    [Fact]
    public async Task Smtp_SecurityNone_StaysPlaintextThoughStartTlsIsOffered()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Tls = SmtpTestServerTls.StartTls });
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:Security"] = "None" });

        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), Ct);

        Assert.False(Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, Ct)).Secure);
    }

    [Fact]
    public async Task Smtp_CredentialsAndNoStartTlsOffered_RefusesAuthAndFailsPermanently()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Credentials = Credentials });
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:Security"] = null });

        var result = await channel.SendAndClassifyAsync(EmailDeliveries.Create(to: ["alice@example.com"]));

        var failure = Assert.Single(result.Recipients).Failure;
        Assert.Equal(FailureKind.Permanent, failure?.Kind);
        Assert.Contains("did not offer STARTTLS, and AUTH is not sent over a plaintext connection", failure!.Error, StringComparison.Ordinal);
        Assert.Contains("Channels:Email:AllowPlaintextAuth", failure.Error, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Smtp_CredentialsAndStartTlsOffered_AuthenticatesOverTls()
    {
        await using var server = SmtpTestServer.Start(new SmtpTestServerOptions { Tls = SmtpTestServerTls.StartTls, Credentials = Credentials });
        await using var channel = EmailChannelHarness.Create(server, new Dictionary<string, string?> { ["Channels:Email:Security"] = null });

        await channel.Transport.SendAsync(EmailDeliveries.Create(to: ["alice@example.com"]), Ct);

        var received = Assert.Single(await server.WaitForMessagesAsync(1, WaitTimeout, Ct));
        Assert.Equal(Credentials.User, received.AuthenticatedUser);
        Assert.True(received.Secure);
    }

    [Fact]
    public async Task Smtp_AllowInvalidCertificate_WarnsAtStart()
    {
        var log = new RecordingLoggerProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Channels:Email:Host"] = "127.0.0.1",
            ["Channels:Email:From"] = "notify@example.com",
            ["Channels:Email:AllowInvalidCertificate"] = "true",
        }).Build();
        await using var services = new ServiceCollection().AddLogging(l => l.AddProvider(log)).AddEmailChannel(configuration).BuildServiceProvider();

        // What the host does at start: every hosted service starts, before any e-mail is sent.
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Ct);
        }

        Assert.Contains(log.Entries, e => e.StartsWith("Warning") && e.Contains("Channels:Email:AllowInvalidCertificate is true"));
    }

    [Theory]
    [MemberData(nameof(HttpChannels))]
    public async Task Http_ProviderAnswersRedirect_NotFollowedAndFailsPermanently(NotifyChannel channel)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        // Back to the same path: followed, the retried request would be answered normally and the send would pass.
        providers.InjectFault(SendPath(channel), ProviderFault.Redirect(new Uri(providers.BaseUrl, SendPath(channel).TrimStart('/')).ToString()));

        var (_, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        Assert.Equal(FailureKind.Permanent, failure.Kind);
        Assert.Contains("307", failure.Error, StringComparison.Ordinal);
        Assert.Contains("redirects are not followed", failure.Error, StringComparison.Ordinal);
        Assert.Single(providers.RequestsTo(SendPath(channel)));
    }

    [Fact]
    public async Task Http_RedirectThroughTheCluster_RecordedFailedWithTheReason()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = await NotifyTestHost.StartWithProvidersAsync(providers.ChannelSettings());
        providers.InjectFault(SendPath(NotifyChannel.Wework), ProviderFault.Redirect("https://elsewhere.example.com/hook"));

        var submitted = await host.ClusterClient.GetGrain<INotifyGrain>(GrainKeys.NotifyEntry()).SubmitAsync(new NotifyMessage
        {
            Channel = NotifyChannel.Wework,
            Receivers = ["chat-1"],
            Body = "disk full on h1",
            Source = "hygiene-test",
        });
        var record = await host.WaitForFinalAsync(submitted.MessageId);

        Assert.Equal(MessageStatus.Failed, record.Status);
        Assert.Equal(0, record.RetryCount);
        Assert.Contains("redirects are not followed", record.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere.example.com", record.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_PlainHttpToRemoteHost_RefusedAtStartUnlessAllowed()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Wework:WebhookUrl"] = "http://robot.example.com/cgi-bin/webhook/send",
            ["Channels:Wework:Key"] = HttpProviderCredentials.RobotKey,
        };
        await using (var refused = HttpChannelHost.Create(settings))
        {
            var error = Assert.Throws<OptionsValidationException>(refused.ValidateOnStart);
            Assert.Contains("Channels:Wework:WebhookUrl must be an https URL", error.Message, StringComparison.Ordinal);
        }

        settings["Channels:Wework:AllowPlainHttp"] = "true";
        await using var allowed = HttpChannelHost.Create(settings);
        allowed.ValidateOnStart();
    }

    public static TheoryData<NotifyChannel> HttpChannels => AllHttpChannels();
}
