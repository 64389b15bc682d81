using System.Net;
using System.Net.Http.Json;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>The parts of the test provider that the channel tests do not already exercise.</summary>
public sealed class HttpProviderTestServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitForRequestsAsync_TooFewArrive_ThrowsTimeoutListingWhatArrived()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = providers.BaseUrl };
        await client.PostAsJsonAsync("api/c/compapi/cmsi/send_sms/", new { content = "x" }, Ct);

        var exception = await Assert.ThrowsAsync<TimeoutException>(
            () => providers.WaitForRequestsAsync(HttpProviderPaths.CmsiSendSms, 2, TimeSpan.FromMilliseconds(100), Ct));

        Assert.Contains($"2 request(s) to {HttpProviderPaths.CmsiSendSms}; 1 arrived", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"#1 POST {HttpProviderPaths.CmsiSendSms}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRequestsAsync_RequestArrivesLater_CompletesWithIt()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = providers.BaseUrl };

        var wait = providers.WaitForRequestsAsync(HttpProviderPaths.RobotWebhook, 1, cancellationToken: Ct);
        Assert.False(wait.IsCompleted);
        await client.PostAsJsonAsync($"cgi-bin/webhook/send?key={HttpProviderCredentials.RobotKey}", new { msgtype = "text", text = new { content = "hi" } }, Ct);

        var request = Assert.Single(await wait);
        Assert.Equal(HttpProviderCredentials.RobotKey, request.Query["key"]);
        Assert.Equal("hi", (string?)request.Json["text"]!["content"]);
    }

    [Fact]
    public async Task InjectFault_QueuedFaults_AppliedInOrderThenNormalAnswers()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = providers.BaseUrl };
        providers.InjectFault(HttpProviderPaths.WecomGetToken, ProviderFault.Status(429, retryAfter: "3"));
        providers.InjectFault(HttpProviderPaths.WecomGetToken, ProviderFault.Error(-1, "system busy"));
        var uri = $"cgi-bin/gettoken?corpid={HttpProviderCredentials.CorpId}&corpsecret={HttpProviderCredentials.CorpSecret}";

        using var first = await client.GetAsync(uri, Ct);
        var second = await client.GetStringAsync(uri, Ct);
        var third = await client.GetStringAsync(uri, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter?.Delta);
        Assert.Contains("\"errcode\":-1", second, StringComparison.Ordinal);
        Assert.Contains("\"access_token\":\"token-1-", third, StringComparison.Ordinal);
        Assert.Equal(1, providers.TokensIssued);
        Assert.Equal(3, providers.RequestsTo(HttpProviderPaths.WecomGetToken).Count);
    }
}
