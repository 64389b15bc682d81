using System.Globalization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels;
using Notify.Grains.Channels.Http;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;
using static Notify.IntegrationTests.HttpChannels.TestDeliveries;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>
/// The shared HTTP rules, for every HTTP channel: 408/429/5xx and refused connections are transient, other 4xx
/// permanent; a timeout or a cancellation after the request was sent is an unknown outcome.
/// </summary>
public sealed class HttpFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<NotifyChannel> Channels => AllHttpChannels();

    public static TheoryData<NotifyChannel, int, FailureKind> ChannelsAndStatuses()
    {
        var data = new TheoryData<NotifyChannel, int, FailureKind>();
        foreach (var channel in ProviderChannels)
        {
            data.Add(channel, 400, FailureKind.Permanent);
            data.Add(channel, 403, FailureKind.Permanent);
            data.Add(channel, 408, FailureKind.Transient);
            data.Add(channel, 500, FailureKind.Transient);
            data.Add(channel, 503, FailureKind.Transient);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task SendAsync_TooManyRequestsWithRetryAfterSeconds_TransientWithThatDelay(NotifyChannel channel)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(SendPath(channel), ProviderFault.Status(429, retryAfter: "7"));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        Assert.Equal(429, Assert.IsType<ProviderHttpException>(exception).StatusCode);
        Assert.Equal(FailureKind.Transient, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ServiceUnavailableWithRetryAfterDate_DelayMeasuredFromTheClock()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var retryAt = host.Time.GetUtcNow().AddSeconds(90).ToString("R", CultureInfo.InvariantCulture);
        providers.InjectFault(HttpProviderPaths.CmsiSendSms, ProviderFault.Status(503, retryAfter: retryAt));

        var (_, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Sms).SendAsync(Sample(NotifyChannel.Sms), Ct));

        Assert.Equal(FailureKind.Transient, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(90), failure.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(ChannelsAndStatuses))]
    public async Task SendAsync_ErrorStatus_ClassifiedByStatus(NotifyChannel channel, int status, FailureKind expected)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(SendPath(channel), ProviderFault.Status(status));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        Assert.Equal(status, Assert.IsType<ProviderHttpException>(exception).StatusCode);
        Assert.Equal(expected, failure.Kind);
        Assert.Null(failure.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_TokenEndpointFails_TransientAndNoSendAttempted()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.WecomGetToken, ProviderFault.Status(502));

        var (_, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Rtx).SendAsync(Sample(NotifyChannel.Rtx), Ct));

        Assert.Equal(FailureKind.Transient, failure.Kind);
        Assert.Empty(providers.RequestsTo(HttpProviderPaths.WecomMessageSend));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task SendAsync_ProviderSlowerThanTimeout_TimeoutAfterTheRequestWasSentIsAnUnknownOutcome(NotifyChannel channel)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers, ($"Channels:{channel}:Timeout", "00:00:00.200"));
        providers.InjectFault(SendPath(channel), ProviderFault.Delay(TimeSpan.FromSeconds(30)));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        Assert.IsType<TimeoutException>(Assert.IsType<AnswerLostException>(exception).Failure);
        Assert.Equal((FailureKind.Transient, true), (failure.Kind, failure.OutcomeUnknown));
    }

    [Fact]
    public async Task SendAsync_CallerCancelsAfterTheRequestWasSent_AnUnknownOutcomeNotATimeout()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.CmsiSendSms, ProviderFault.Delay(TimeSpan.FromSeconds(30)));
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var send = host.Transport(NotifyChannel.Sms).SendAsync(Sample(NotifyChannel.Sms), caller.Token);
        await providers.WaitForRequestsAsync(HttpProviderPaths.CmsiSendSms, 1, cancellationToken: Ct);
        await caller.CancelAsync();

        var lost = await Assert.ThrowsAsync<AnswerLostException>(() => send);
        Assert.IsAssignableFrom<OperationCanceledException>(lost.Failure);
        Assert.True(host.Transport(NotifyChannel.Sms).Classify(lost).OutcomeUnknown);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task SendAsync_NothingListening_TransientConnectionFailure(NotifyChannel channel)
    {
        Dictionary<string, string?> settings;
        await using (var stopped = await HttpProviderTestServer.StartAsync(Ct))
        {
            settings = stopped.ChannelSettings();
        }

        await using var host = HttpChannelHost.Create(settings);

        var (exception, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        Assert.IsType<HttpRequestException>(exception);
        Assert.Equal((FailureKind.Transient, false), (failure.Kind, failure.OutcomeUnknown));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task SendAsync_SuccessStatusWithNonJsonBody_TransientInvalidResponse(NotifyChannel channel)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(SendPath(channel), ProviderFault.Status(200));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(channel).SendAsync(Sample(channel), Ct));

        Assert.Equal("invalid_response", Assert.IsType<ProviderErrorException>(exception).Code);
        Assert.Equal(FailureKind.Transient, failure.Kind);
    }
}
