using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;
using static Notify.IntegrationTests.HttpChannels.TestDeliveries;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>Credentials and access tokens never reach exception messages or logs, even when a provider echoes them.</summary>
public sealed class SecretHygieneTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<NotifyChannel> Channels => AllHttpChannels();

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task SendAsync_ProviderEchoesTheSecretInItsError_ExceptionMasksIt(NotifyChannel channel)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var secret = SecretOf(channel);
        providers.InjectFault(SendPath(channel), ProviderFault.Error(40003, $"credential {secret} is not allowed here"));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        Assert.Contains("credential *** is not allowed here", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_TokenEndpointEchoesTheSecret_ExceptionMasksIt()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.WecomGetToken, ProviderFault.Error(40001, $"invalid credential {HttpProviderCredentials.CorpSecret}"));

        var (exception, _) = await FailingSendAsync(() => host.Transport(NotifyChannel.Rtx).SendAsync(Sample(NotifyChannel.Rtx), Ct));

        Assert.DoesNotContain(HttpProviderCredentials.CorpSecret, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SuccessesRefreshesAndFailures_NoSecretOrTokenInAnyLogLine()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.AddInvalidUsers("ghost");
        foreach (var channel in ProviderChannels)
        {
            await host.Transport(channel).SendAsync(Sample(channel), Ct);
            providers.InjectFault(SendPath(channel), ProviderFault.Status(500));
            await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));
        }

        providers.ExpireAccessTokens();
        await host.Transport(NotifyChannel.Rtx).SendAsync(To(Sample(NotifyChannel.Rtx).Message, "alice", "ghost"), Ct);

        var tokens = providers.RequestsTo(HttpProviderPaths.WecomMessageSend).Select(r => r.Query["access_token"]).Distinct().ToArray();
        Assert.Equal(2, tokens.Length);
        Assert.NotEmpty(host.Logs.Entries);
        Assert.All(host.Logs.Entries, line =>
        {
            foreach (var secret in HttpProviderCredentials.Secrets.Concat(tokens))
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        });
    }
}
