using System.Globalization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Ownership;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Delivery;

/// <summary>
/// Unknown outcomes end to end, on a cluster whose e-mail or SMS channel talks to a real test server: a reply lost
/// after the provider had the message is retried and flagged a possible duplicate (or Failed when the channel does
/// not retry unknown outcomes); a failure before it is a clean retry, never flagged.
/// </summary>
public sealed class UnknownOutcomeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static NotifyMessage Sms(string phone) => new()
    {
        Channel = NotifyChannel.Sms,
        Receivers = [phone],
        Body = "disk full on h1",
        Source = "monitor",
    };

    private static Task<NotifyTestCluster> EmailClusterAsync(SmtpTestServer smtp, params (string Key, string Value)[] settings) =>
        NotifyTestCluster.StartAsync(options =>
        {
            options.ConfiguredChannels.Add(NotifyChannel.Email);
            options.Configuration["Channels:Email:Host"] = smtp.Host;
            options.Configuration["Channels:Email:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
            options.Configuration["Channels:Email:From"] = "notify@example.com";
            foreach (var (key, value) in settings)
            {
                options.Configuration[key] = value;
            }
        });

    private static Task<NotifyTestCluster> SmsClusterAsync(Dictionary<string, string?> providerSettings, params (string Key, string Value)[] settings) =>
        NotifyTestCluster.StartAsync(options =>
        {
            options.ConfiguredChannels.Add(NotifyChannel.Sms);
            foreach (var (key, value) in providerSettings.Where(s => s.Key.StartsWith("Channels:Sms:", StringComparison.Ordinal)))
            {
                options.Configuration[key] = value;
            }

            foreach (var (key, value) in settings)
            {
                options.Configuration[key] = value;
            }
        });

    [Fact]
    public async Task Email_ConnectionDroppedAfterData_RetriedDeliveredTwiceWithOneMessageIdAndFlagged()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.Faults.DropConnectionAfterData();
        await using var cluster = await EmailClusterAsync(smtp);

        var id = (await cluster.Notify.SubmitAsync(DeliveryTests.EmailTo("a@example.com"))).MessageId;
        var record = await cluster.WaitForFinalAsync(id, Wait);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal((2, true, 1), (record.Attempts, record.PossibleDuplicate, record.UnknownOutcomeAttempt));
        var receiver = Assert.Single(record.Receivers);
        Assert.Equal((ReceiverStatus.Sent, true, 1), (receiver.Status, receiver.PossibleDuplicate, receiver.UnknownOutcomeAttempt));
        Assert.Contains("outcome unknown", record.LastError, StringComparison.Ordinal);
        var copies = await smtp.WaitForMessagesAsync(2, Wait, TestContext.Current.CancellationToken);
        Assert.Equal(2, copies.Count);
        Assert.Equal(copies[0].Message.MessageId, copies[1].Message.MessageId);

        var whyNot = Assert.Single(await cluster.Query.WhyNotAsync("a@example.com", NotifyChannel.Email, null, null, 10, OwnerScope.All));
        Assert.Contains("possible duplicate: the outcome of attempt 1 is unknown", whyNot.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_ConnectionDroppedBeforeData_RetriedOnceDeliveredAndNotFlagged()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.Faults.DropConnectionAtDataCommand();
        await using var cluster = await EmailClusterAsync(smtp);

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(DeliveryTests.EmailTo("a@example.com"))).MessageId, Wait);

        Assert.Equal((MessageStatus.Sent, 2), (record.Status, record.Attempts));
        Assert.Equal((false, null), (record.PossibleDuplicate, record.UnknownOutcomeAttempt));
        Assert.False(Assert.Single(record.Receivers).PossibleDuplicate);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task Email_ConnectionDroppedAfterData_RetryUnknownOutcomeOff_FailedAsUnknownOutcomeWithOneCopy()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.Faults.DropConnectionAfterData();
        await using var cluster = await EmailClusterAsync(smtp, ("Channels:Email:RetryUnknownOutcome", "false"));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(DeliveryTests.EmailTo("a@example.com"))).MessageId, Wait);

        Assert.Equal((MessageStatus.Failed, 1, true), (record.Status, record.Attempts, record.PossibleDuplicate));
        var receiver = Assert.Single(record.Receivers);
        Assert.Equal((ReceiverStatus.Failed, OutcomeReason.UnknownOutcome, 1), (receiver.Status, receiver.Reason, receiver.UnknownOutcomeAttempt));
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task Sms_TimeoutAfterTheRequestWasSent_RetriedAndFlagged()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(TestContext.Current.CancellationToken);
        providers.InjectFault(HttpProviderPaths.CmsiSendSms, ProviderFault.Delay(TimeSpan.FromMinutes(2)));
        await using var cluster = await SmsClusterAsync(providers.ChannelSettings(), ("Channels:Sms:Timeout", "00:00:02"));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(Sms("13800000001"))).MessageId, Wait);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.True(record.Attempts >= 2, $"{record.Attempts} attempts");
        Assert.Equal((true, 1), (record.PossibleDuplicate, record.UnknownOutcomeAttempt));
        Assert.Equal(1, Assert.Single(record.Receivers).UnknownOutcomeAttempt);
        Assert.True(providers.RequestsTo(HttpProviderPaths.CmsiSendSms).Count >= 2);
    }

    [Fact]
    public async Task Sms_TimeoutAfterTheRequestWasSent_RetryUnknownOutcomeOff_FailedAsUnknownOutcome()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(TestContext.Current.CancellationToken);
        providers.InjectFault(HttpProviderPaths.CmsiSendSms, ProviderFault.Delay(TimeSpan.FromMinutes(2)));
        await using var cluster = await SmsClusterAsync(
            providers.ChannelSettings(), ("Channels:Sms:Timeout", "00:00:02"), ("Channels:Sms:RetryUnknownOutcome", "false"));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(Sms("13800000001"))).MessageId, Wait);

        Assert.Equal((MessageStatus.Failed, 1, true), (record.Status, record.Attempts, record.PossibleDuplicate));
        Assert.Equal(OutcomeReason.UnknownOutcome, Assert.Single(record.Receivers).Reason);
        Assert.Single(providers.RequestsTo(HttpProviderPaths.CmsiSendSms));
    }

    [Fact]
    public async Task Sms_ConnectionRefused_RetriedCleanlyUntilTheBudgetEndsAndNotFlagged()
    {
        Dictionary<string, string?> settings;
        await using (var stopped = await HttpProviderTestServer.StartAsync(TestContext.Current.CancellationToken))
        {
            settings = stopped.ChannelSettings();
        }

        await using var cluster = await SmsClusterAsync(settings, ("Notify:Delivery:MaxRetries", "1"));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(Sms("13800000001"))).MessageId, Wait);

        Assert.Equal((MessageStatus.Failed, 2), (record.Status, record.Attempts));
        Assert.Equal((false, null), (record.PossibleDuplicate, record.UnknownOutcomeAttempt));
        var receiver = Assert.Single(record.Receivers);
        Assert.Equal((OutcomeReason.RetriesExhausted, false), (receiver.Reason, receiver.PossibleDuplicate));
    }
}
