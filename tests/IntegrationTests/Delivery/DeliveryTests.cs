using System.Net.Sockets;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Delivery;

/// <summary>Attempts, retries and final statuses of the direct-send path, on a real in-process cluster.</summary>
public sealed class DeliveryTests
{
    internal static NotifyMessage EmailTo(params string[] receivers) => new()
    {
        Channel = NotifyChannel.Email,
        Receivers = receivers.Length == 0 ? ["a@example.com"] : receivers,
        Title = "disk full",
        Body = "host h1: /var is 99% full",
        Source = "monitor",
        Sender = "DevOps",
    };

    [Fact]
    public async Task Submit_Email_IsSentAndRecorded()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var result = await cluster.Notify.SubmitAsync(EmailTo("a@example.com") with { Cc = ["c@example.com"], Bcc = ["b@example.com"] });

        var record = await cluster.WaitForFinalAsync(result.MessageId);
        Assert.False(result.Replayed);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal((1, 0), (record.Attempts, record.RetryCount));
        Assert.Matches("^[0-9a-f]{32}$", record.ContentMd5);
        Assert.Null(record.AttemptStartedAt);
        Assert.NotNull(record.CompletedAt);
        Assert.Equal(
            [("a@example.com", RecipientKind.To), ("c@example.com", RecipientKind.Cc), ("b@example.com", RecipientKind.Bcc)],
            record.Receivers.Select(r => (r.Receiver, r.Kind)));
        Assert.All(record.Receivers, r => Assert.Equal((ReceiverStatus.Sent, 1), (r.Status, r.Attempts)));

        var delivery = Assert.Single(cluster.Transport(NotifyChannel.Email).Deliveries);
        Assert.Equal(3, delivery.Recipients.Count);
    }

    [Fact]
    public async Task Submit_SlowProvider_CompletedAtIsWhenTheProviderAnswered()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var transport = cluster.Transport(NotifyChannel.Email);
        transport.Hold();
        var id = (await cluster.Notify.SubmitAsync(EmailTo())).MessageId;
        await Eventually.WaitAsync(() => Task.FromResult(transport.Deliveries.Count), n => n == 1, TimeSpan.FromSeconds(10), n => $"{n} deliveries started");
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        transport.Release();

        // The send was held at least 300 ms after acceptance; the attempt itself started within milliseconds of it.
        var record = await cluster.WaitForFinalAsync(id);
        Assert.True(record.Receivers.Single().CompletedAt - record.CreatedAt >= TimeSpan.FromMilliseconds(250), "CompletedAt must be when the provider answered, not when the attempt started");
    }

    [Fact]
    public async Task Submit_TransientThenSuccess_IsRetriedAndSent()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        cluster.Transport(NotifyChannel.Email).Script("a@example.com", ScriptedTransport.Transient("451 try again later"));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo())).MessageId);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal((2, 1), (record.Attempts, record.RetryCount));
        Assert.Equal("451 try again later", record.LastError);
        Assert.Equal(2, record.Receivers.Single().Attempts);
    }

    [Fact]
    public async Task Submit_PermanentFailure_FailsAtOnceWithTheError()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        cluster.Transport(NotifyChannel.Email).Script("a@example.com", ScriptedTransport.Permanent("550 5.1.1 no such user"));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo())).MessageId);

        Assert.Equal(MessageStatus.Failed, record.Status);
        Assert.Equal(1, record.Attempts);
        var receiver = record.Receivers.Single();
        Assert.Equal((ReceiverStatus.Failed, OutcomeReason.PermanentFailure, "550 5.1.1 no such user"), (receiver.Status, receiver.Reason, receiver.Detail));
        Assert.Equal("550 5.1.1 no such user", record.LastError);
    }

    [Fact]
    public async Task Submit_AlwaysTransient_FailsAfterMaxRetries()
    {
        await using var cluster = await NotifyTestCluster.StartAsync(o => o.Configuration["Notify:Delivery:MaxRetries"] = "2");
        cluster.Transport(NotifyChannel.Email).Script("a@example.com", Enumerable.Repeat(ScriptedTransport.Transient("421 busy"), 5).ToArray());

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo())).MessageId);

        Assert.Equal(MessageStatus.Failed, record.Status);
        Assert.Equal((3, 2), (record.Attempts, record.RetryCount));
        Assert.Equal(OutcomeReason.RetriesExhausted, record.Receivers.Single().Reason);
        Assert.Equal("gave up after 3 attempts: 421 busy", record.Receivers.Single().Detail);
    }

    [Fact]
    public async Task Submit_TransportException_IsClassifiedAndRetried()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        cluster.Transport(NotifyChannel.Email).Script("a@example.com", ScriptedTransport.Throw(new SocketException((int)SocketError.ConnectionRefused)));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo())).MessageId);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Contains("connection failed", record.LastError);
    }

    [Fact]
    public async Task Submit_OneReceiverRefused_IsPartiallySent()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        cluster.Transport(NotifyChannel.Email).Script("gone@example.com", ScriptedTransport.Permanent("550 mailbox unavailable"));

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo("a@example.com", "gone@example.com"))).MessageId);

        Assert.Equal(MessageStatus.PartiallySent, record.Status);
        Assert.Equal([ReceiverStatus.Sent, ReceiverStatus.Failed], record.Receivers.Select(r => r.Status));
    }

    [Fact]
    public async Task Submit_RetryAfter_IsHonoured()
    {
        await using var cluster = await NotifyTestCluster.StartAsync(o => o.Configuration["Notify:Delivery:RetryMaxDelay"] = "00:00:05");
        var transport = cluster.Transport(NotifyChannel.Email);
        transport.Script("a@example.com", ScriptedTransport.Transient("429 slow down", TimeSpan.FromSeconds(2)));

        var started = DateTimeOffset.UtcNow;
        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo())).MessageId);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.True(record.Receivers.Single().CompletedAt - started >= TimeSpan.FromSeconds(1.9), "the retry came before the provider's Retry-After");
    }

    [Fact]
    public async Task Submit_Delay_DefersTheFirstAttempt()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var result = await cluster.Notify.SubmitAsync(EmailTo() with { DelaySeconds = 2 });

        var pending = await cluster.Client.GetGrain<IMessageGrain>(result.MessageId).GetAsync();
        Assert.Equal(MessageStatus.Pending, pending!.Status);
        Assert.Empty(cluster.Transport(NotifyChannel.Email).Deliveries);

        var record = await cluster.WaitForFinalAsync(result.MessageId);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.True(record.Receivers.Single().CompletedAt - record.CreatedAt >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Submit_Invalid_IsRefusedWithFieldsAndNothingIsRecorded()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() =>
            cluster.Notify.SubmitAsync(EmailTo("not-an-address@") with { Title = "a\r\nBcc: x@example.com" }));

        Assert.Equal(RequestErrorKind.Invalid, exception.Kind);
        Assert.Equal(["receivers[0]", "title"], exception.Errors.Select(e => e.Field));
        Assert.Equal(0, (await cluster.Query.ListAsync(new MessageQuery())).Total);
    }
}
