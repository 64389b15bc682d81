using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Http;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;
using static Notify.IntegrationTests.HttpChannels.TestDeliveries;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>The WeCom application-message transport against the test provider: request shape, token cache, per-user outcomes.</summary>
public sealed class RtxChannelTests
{
    private static readonly NotifyMessage Alert = new() { Channel = NotifyChannel.Rtx, Title = "Build failed", Body = "pipeline p1 #42" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_TextMessage_FetchesTokenThenPostsTitleAndBodyToUsers()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);

        var result = await host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, "alice", "bob"), Ct);

        var tokenRequest = Assert.Single(providers.RequestsTo(HttpProviderPaths.WecomGetToken));
        Assert.Equal("GET", tokenRequest.Method);
        Assert.Equal(HttpProviderCredentials.CorpId, tokenRequest.Query["corpid"]);
        Assert.Equal(HttpProviderCredentials.CorpSecret, tokenRequest.Query["corpsecret"]);
        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.WecomMessageSend));
        Assert.Equal("POST", send.Method);
        Assert.StartsWith("token-1-", send.Query["access_token"], StringComparison.Ordinal);
        AssertJsonEqual("""{"touser":"alice|bob","msgtype":"text","agentid":1000002,"text":{"content":"Build failed\npipeline p1 #42"}}""", send.Body);
        Assert.Equal(["alice", "bob"], result.Recipients.Select(r => r.Address));
        Assert.All(result.Recipients, r => Assert.Equal(new RecipientResult(r.Address, null, "msg-1"), r));
    }

    [Fact]
    public async Task SendAsync_ConcurrentSends_ShareOneTokenFetch()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var transport = host.Transport(NotifyChannel.Rtx);

        var results = await Task.WhenAll(Enumerable.Range(1, 16).Select(i => transport.SendAsync(To(Alert, $"user{i}"), Ct)));

        Assert.All(results, r => Assert.True(Assert.Single(r.Recipients).Delivered));
        Assert.Equal(1, providers.TokensIssued);
        var sends = providers.RequestsTo(HttpProviderPaths.WecomMessageSend);
        Assert.Equal(16, sends.Count);
        Assert.Single(sends.Select(s => s.Query["access_token"]).Distinct());
    }

    [Fact]
    public async Task SendAsync_TokenNearItsExpiry_FetchesANewOneOnlyThen()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var transport = host.Transport(NotifyChannel.Rtx);
        var refreshDue = providers.TokenLifetime - TimeSpan.FromMinutes(5);

        await transport.SendAsync(To(Alert, "alice"), Ct);
        host.Time.Advance(refreshDue - TimeSpan.FromSeconds(1));
        await transport.SendAsync(To(Alert, "alice"), Ct);
        Assert.Equal(1, providers.TokensIssued);

        host.Time.Advance(TimeSpan.FromSeconds(2));
        await transport.SendAsync(To(Alert, "alice"), Ct);

        Assert.Equal(2, providers.TokensIssued);
        var tokens = providers.RequestsTo(HttpProviderPaths.WecomMessageSend).Select(s => s.Query["access_token"]).ToArray();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.StartsWith("token-2-", tokens[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expire")]
    [InlineData("invalidate")]
    public async Task SendAsync_ProviderRejectsCachedToken_RefetchesAndResendsOnce(string rejection)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var transport = host.Transport(NotifyChannel.Rtx);
        await transport.SendAsync(To(Alert, "alice"), Ct);
        if (rejection == "expire")
        {
            providers.ExpireAccessTokens();
        }
        else
        {
            providers.InvalidateAccessTokens();
        }

        var result = await transport.SendAsync(To(Alert, "bob"), Ct);

        Assert.True(Assert.Single(result.Recipients).Delivered);
        Assert.Equal(2, providers.TokensIssued);
        var sends = providers.RequestsTo(HttpProviderPaths.WecomMessageSend);
        Assert.Equal(3, sends.Count);
        Assert.Equal(sends[0].Query["access_token"], sends[1].Query["access_token"]);
        Assert.StartsWith("token-2-", sends[2].Query["access_token"], StringComparison.Ordinal);
        Assert.Equal(sends[1].RawBody, sends[2].RawBody);
    }

    [Fact]
    public async Task SendAsync_InvalidCredentialErrcode_RefetchesAndResendsOnce()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.WecomMessageSend, ProviderFault.Error(40001, "invalid credential"));

        var result = await host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, "alice"), Ct);

        Assert.True(Assert.Single(result.Recipients).Delivered);
        Assert.Equal(2, providers.TokensIssued);
        Assert.Equal(2, providers.RequestsTo(HttpProviderPaths.WecomMessageSend).Count);
    }

    [Fact]
    public async Task SendAsync_TokenRejectedAgainAfterRefetch_FailsPermanentlyWithoutAThirdAttempt()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.WecomMessageSend, ProviderFault.Error(42001, "access_token expired"), times: 2);

        var (exception, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, "alice"), Ct));

        Assert.Equal("42001", Assert.IsType<ProviderErrorException>(exception).Code);
        Assert.Equal(FailureKind.Permanent, failure.Kind);
        Assert.Equal(2, providers.RequestsTo(HttpProviderPaths.WecomMessageSend).Count);
        Assert.Equal(2, providers.TokensIssued);
    }

    [Fact]
    public async Task SendAsync_SomeUsersInvalid_ThoseFailPermanentlyOthersDelivered()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.AddInvalidUsers("ghost", "left-company");

        var result = await host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, "alice", "ghost", "bob", "left-company"), Ct);

        var byAddress = result.Recipients.ToDictionary(r => r.Address);
        Assert.Equal(4, byAddress.Count);
        Assert.Equal("msg-1", byAddress["alice"].ProviderMessageId);
        Assert.Equal("msg-1", byAddress["bob"].ProviderMessageId);
        Assert.True(byAddress["alice"].Delivered && byAddress["bob"].Delivered);
        Assert.Equal(FailureKind.Permanent, byAddress["ghost"].Failure?.Kind);
        Assert.Equal(FailureKind.Permanent, byAddress["left-company"].Failure?.Kind);
    }

    [Fact]
    public async Task SendAsync_EveryUserInvalid_ThrowsPermanent()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.AddInvalidUsers("ghost");

        var (exception, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, "ghost"), Ct));

        Assert.Equal("81013", Assert.IsType<ProviderErrorException>(exception).Code);
        Assert.Equal(FailureKind.Permanent, failure.Kind);
    }

    [Fact]
    public async Task SendAsync_MoreThan1000Users_PostsOneRequestPer1000WithOneToken()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var users = Enumerable.Range(1, 2500).Select(i => $"u{i}").ToArray();

        var result = await host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, users), Ct);

        var sends = providers.RequestsTo(HttpProviderPaths.WecomMessageSend);
        Assert.Equal([1000, 1000, 500], sends.Select(s => ((string?)s.Json["touser"])!.Split('|').Length));
        Assert.Equal(users, sends.SelectMany(s => ((string?)s.Json["touser"])!.Split('|')));
        Assert.Equal(1, providers.TokensIssued);
        Assert.Equal(users, result.Recipients.Select(r => r.Address));
        Assert.Equal(["msg-1", "msg-2", "msg-3"], result.Recipients.Select(r => r.ProviderMessageId).Distinct());
    }

    [Fact]
    public async Task SendAsync_LaterRequestFails_EarlierUsersDeliveredRestFailed()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.WecomMessageSend, ProviderFault.None);
        providers.InjectFault(HttpProviderPaths.WecomMessageSend, ProviderFault.Status(503, retryAfter: "20"));
        var users = Enumerable.Range(1, 2500).Select(i => $"u{i}").ToArray();

        var result = await host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, users), Ct);

        Assert.Equal(2, providers.RequestsTo(HttpProviderPaths.WecomMessageSend).Count);
        Assert.Equal(users, result.Recipients.Select(r => r.Address));
        Assert.All(result.Recipients.Take(1000), r => Assert.True(r.Delivered));
        Assert.All(result.Recipients.Skip(1000), r => Assert.Equal(SendFailure.Transient(r.Failure!.Error, TimeSpan.FromSeconds(20)), r.Failure));
    }

    [Theory]
    [InlineData(-1, FailureKind.Transient)]
    [InlineData(45009, FailureKind.Transient)]
    [InlineData(40003, FailureKind.Permanent)]
    [InlineData(60020, FailureKind.Permanent)]
    public async Task SendAsync_ErrcodeInBody_ClassifiedByCode(int errcode, FailureKind expected)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.WecomMessageSend, ProviderFault.Error(errcode, "provider says no"));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Rtx).SendAsync(To(Alert, "alice"), Ct));

        Assert.Equal(errcode.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.IsType<ProviderErrorException>(exception).Code);
        Assert.Contains("provider says no", exception.Message, StringComparison.Ordinal);
        Assert.Equal(expected, failure.Kind);
    }

    [Fact]
    public async Task SendAsync_WrongCorpSecret_ThrowsPermanentAndFetchesAgainNextTime()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers, ("Channels:Rtx:CorpSecret", "wrong-secret-H2d9"));
        var transport = host.Transport(NotifyChannel.Rtx);

        var (exception, failure) = await FailingSendAsync(() => transport.SendAsync(To(Alert, "alice"), Ct));
        await FailingSendAsync(() => transport.SendAsync(To(Alert, "alice"), Ct));

        Assert.Equal("40001", Assert.IsType<ProviderErrorException>(exception).Code);
        Assert.Equal(FailureKind.Permanent, failure.Kind);
        Assert.DoesNotContain("wrong-secret-H2d9", exception.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, providers.RequestsTo(HttpProviderPaths.WecomGetToken).Count);
        Assert.Empty(providers.RequestsTo(HttpProviderPaths.WecomMessageSend));
    }
}
