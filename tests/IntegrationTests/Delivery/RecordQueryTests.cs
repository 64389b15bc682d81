using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Ownership;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Messages;
using Notify.IntegrationTests.Infrastructure;
using static Notify.IntegrationTests.Delivery.DeliveryTests;

namespace Notify.IntegrationTests.Delivery;

/// <summary>Record queries, "why didn't X get it", and recovery of messages whose silo died mid-send.</summary>
public sealed class RecordQueryTests
{
    [Fact]
    public async Task ListAsync_FiltersCombineAndPageNewestFirst()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        cluster.Transport(NotifyChannel.Email).Script("x@example.com", ScriptedTransport.Permanent());
        var ids = new List<string>();
        foreach (var (receiver, source) in new[] { ("a@example.com", "ci"), ("x@example.com", "ci"), ("a@example.com", "monitor"), ("b@example.com", "ci") })
        {
            ids.Add((await cluster.Notify.SubmitAsync(EmailTo(receiver) with { Source = source })).MessageId);
            await cluster.WaitForFinalAsync(ids[^1]);
        }

        await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(new NotifyMessage { Channel = NotifyChannel.Sms, Receivers = ["13800138000"], Body = "b", Source = "ci" })).MessageId);

        async Task<IReadOnlyList<string>> Ids(MessageQuery query) => (await cluster.Query.ListAsync(query)).Items.Select(r => r.Id).ToList();

        Assert.Equal([ids[3], ids[2], ids[1], ids[0]], await Ids(new MessageQuery { Channel = NotifyChannel.Email }));
        Assert.Equal([ids[2], ids[0]], await Ids(new MessageQuery { Receiver = "A@example.com" }));
        Assert.Equal([ids[1]], await Ids(new MessageQuery { Status = MessageStatus.Failed }));
        Assert.Equal([ids[3], ids[1], ids[0]], await Ids(new MessageQuery { Channel = NotifyChannel.Email, Source = "ci" }));
        var page = await cluster.Query.ListAsync(new MessageQuery { Channel = NotifyChannel.Email, Page = 2, PageSize = 3 });
        Assert.Equal(4, page.Total);
        Assert.Equal([ids[0]], page.Items.Select(r => r.Id));
        var first = (await cluster.Query.GetAsync(ids[0]))!;
        Assert.Empty(await Ids(new MessageQuery { To = first.CreatedAt }));
        Assert.Equal(ids[0], (await Ids(new MessageQuery { From = first.CreatedAt, To = first.CreatedAt.AddTicks(1) })).Single());
    }

    [Fact]
    public async Task ListAsync_BadQuery_NamesTheParameter()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => cluster.Query.ListAsync(new MessageQuery { Page = 0, PageSize = 500 }));
        Assert.Equal(["page", "pageSize"], exception.Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task WhyNotAsync_ExplainsEachOutcomeOfTheReceiver()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        cluster.Transport(NotifyChannel.Email).Script("bob@example.com", ScriptedTransport.Permanent("550 5.1.1 mailbox unavailable"));
        var failed = (await cluster.Notify.SubmitAsync(EmailTo("bob@example.com") with { Body = "one" })).MessageId;
        await cluster.WaitForFinalAsync(failed);
        var sent = (await cluster.Notify.SubmitAsync(EmailTo("bob@example.com") with { Body = "two", FrequencyLimitMinutes = 10 })).MessageId;
        await cluster.WaitForFinalAsync(sent);
        var suppressed = (await cluster.Notify.SubmitAsync(EmailTo("bob@example.com") with { Body = "two", FrequencyLimitMinutes = 10 })).MessageId;
        await cluster.WaitForFinalAsync(suppressed);
        await cluster.Client.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist).AddAsync(["bob@example.com"]);
        var blocked = (await cluster.Notify.SubmitAsync(EmailTo("alice@example.com") with { Cc = ["bob@example.com"], Body = "three" })).MessageId;
        await cluster.WaitForFinalAsync(blocked);

        var history = await cluster.Query.WhyNotAsync("bob@example.com", NotifyChannel.Email, null, null, 50, OwnerScope.All);

        Assert.Equal([blocked, suppressed, sent, failed], history.Select(h => h.MessageId));
        Assert.StartsWith("blocked: ", history[0].Explanation);
        Assert.Equal(sent, history[1].Outcome.SuppressedBy);
        Assert.StartsWith("suppressed by the frequency limit", history[1].Explanation);
        Assert.StartsWith("delivered to bob@example.com", history[2].Explanation);
        Assert.Equal("failed (the provider refused it): 550 5.1.1 mailbox unavailable", history[3].Explanation);
    }

    [Fact]
    public async Task Recovery_AttemptInterruptedByACrash_IsRetriedAndFlaggedAsPossibleDuplicate()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();

        // The record a silo leaves behind when it dies after journaling attempt 1 and before recording its outcome.
        var now = DateTimeOffset.UtcNow;
        var id = GrainKeys.NewMessageId();
        await cluster.Store.WriteAsync(new MessageRecord
        {
            Id = id,
            Message = NotifyMessageValidator.EnsureValid(EmailTo("a@example.com")),
            Status = MessageStatus.Sending,
            Receivers = [new ReceiverOutcome { Receiver = "a@example.com", Kind = RecipientKind.To }],
            Attempts = 1,
            CreatedAt = now.AddMinutes(-5),
            UpdatedAt = now.AddMinutes(-5),
            AttemptStartedAt = now.AddMinutes(-5),
            NextAttemptAt = now.AddMinutes(-3),
        }, null, TestContext.Current.CancellationToken);

        var resumed = await cluster.Client.GetGrain<IMessageRecoveryGrain>(IMessageRecoveryGrain.Key).RunOnceAsync();
        var record = await cluster.WaitForFinalAsync(id);

        Assert.Equal(1, resumed);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.True(record.PossibleDuplicate);
        Assert.Equal(2, record.Attempts);
        Assert.Contains("unknown", record.LastError);
    }

    [Fact]
    public async Task Recovery_AcceptedButNeverStarted_IsSent()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var id = GrainKeys.NewMessageId();
        await cluster.Store.WriteAsync(new MessageRecord
        {
            Id = id,
            Message = NotifyMessageValidator.EnsureValid(EmailTo("a@example.com") with { DelaySeconds = 60 }),
            Status = MessageStatus.Pending,
            Receivers = [new ReceiverOutcome { Receiver = "a@example.com", Kind = RecipientKind.To }],
            CreatedAt = now.AddMinutes(-2),
            UpdatedAt = now.AddMinutes(-2),
            NextAttemptAt = now.AddMinutes(-1),
        }, null, TestContext.Current.CancellationToken);

        // The recovery reminder (2 s in tests) finds it without being asked.
        var record = await cluster.WaitForFinalAsync(id, TimeSpan.FromSeconds(20));

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.False(record.PossibleDuplicate);
        Assert.Equal(1, record.Attempts);
    }
}
