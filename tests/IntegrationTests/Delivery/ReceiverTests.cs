using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using static Notify.IntegrationTests.Delivery.DeliveryTests;

namespace Notify.IntegrationTests.Delivery;

/// <summary>Who gets a message: contacts, blacklist and frequency limit.</summary>
public sealed class ReceiverTests
{
    private static IBlacklistGrain Blacklist(NotifyTestCluster cluster) => cluster.Client.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);

    private static IContactGrain Contact(NotifyTestCluster cluster, string username) => cluster.Client.GetGrain<IContactGrain>(GrainKeys.Contact(username));

    [Fact]
    public async Task Blacklist_BlocksReceiversCcAndBcc_OthersStillGetIt()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        await Blacklist(cluster).AddAsync(["bob@example.com", "carol@example.com", "dave@example.com"]);

        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(
            EmailTo("bob@example.com", "alice@example.com") with { Cc = ["carol@example.com"], Bcc = ["dave@example.com"] })).MessageId);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal(
            [ReceiverStatus.Blocked, ReceiverStatus.Sent, ReceiverStatus.Blocked, ReceiverStatus.Blocked],
            record.Receivers.Select(r => r.Status));
        Assert.All(record.Receivers.Where(r => r.Status == ReceiverStatus.Blocked), r => Assert.Equal(OutcomeReason.Blacklisted, r.Reason));
        Assert.Equal(["alice@example.com"], cluster.Transport(NotifyChannel.Email).Deliveries.Single().Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Blacklist_EveryReceiverBlocked_MessageEndsBlocked_AndRemovalRestoresDelivery()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        await Blacklist(cluster).AddAsync(["bob@example.com"]);
        var blocked = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo("bob@example.com"))).MessageId);
        Assert.Equal(MessageStatus.Blocked, blocked.Status);
        Assert.Empty(cluster.Transport(NotifyChannel.Email).Deliveries);

        await Blacklist(cluster).RemoveAsync(["BOB@example.com"]);
        var sent = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo("bob@example.com"))).MessageId);
        Assert.Equal(MessageStatus.Sent, sent.Status);
    }

    [Fact]
    public async Task Blacklist_ChangeAppliesOnEverySiloAtOnce()
    {
        await using var cluster = await NotifyTestCluster.StartAsync(o => o.Silos = 2);
        await Blacklist(cluster).AddAsync(["bob@example.com", "carol"]);

        // Message grains are placed across both silos; each must see the change as soon as AddAsync returned.
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await cluster.Notify.SubmitAsync(EmailTo("bob@example.com", $"u{i}@example.com") with { Body = $"b{i}" })).MessageId);
        }

        foreach (var id in ids)
        {
            var record = await cluster.WaitForFinalAsync(id);
            Assert.Equal([ReceiverStatus.Blocked, ReceiverStatus.Sent], record.Receivers.Select(r => r.Status));
        }

        // A contact change of a blacklisted user reaches every silo too: carol's new address is blocked at once.
        await Contact(cluster, "carol").PutAsync(new Contact { Username = "carol", Email = "carol@example.com" });
        for (var i = 0; i < 20; i++)
        {
            var id = (await cluster.Notify.SubmitAsync(EmailTo("carol@example.com") with { Body = $"c{i}" })).MessageId;
            Assert.Equal(MessageStatus.Blocked, (await cluster.WaitForFinalAsync(id)).Status);
        }
    }

    [Fact]
    public async Task Blacklist_Username_BlocksTheUserOnEveryChannel()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        await Contact(cluster, "bob").PutAsync(new Contact { Username = "bob", Email = "bob@example.com", Phone = "13800138000", WecomUserId = "bob.wecom" });
        await Blacklist(cluster).AddAsync(["bob"]);

        var messages = new[]
        {
            EmailTo("bob"),
            EmailTo("bob@example.com"),
            new NotifyMessage { Channel = NotifyChannel.Sms, Receivers = ["13800138000"], Body = "b" },
            new NotifyMessage { Channel = NotifyChannel.Rtx, Receivers = ["bob"], Title = "t", Body = "b" },
            new NotifyMessage { Channel = NotifyChannel.Voice, Receivers = ["bob"], Title = "t", Body = "b" },
        };
        foreach (var message in messages)
        {
            var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(message)).MessageId);
            Assert.Equal(MessageStatus.Blocked, record.Status);
        }

        Assert.All(cluster.Transports.Values, t => Assert.Empty(t.Deliveries));
    }

    [Fact]
    public async Task Blacklist_RobotMentionOfBlacklistedUser_IsDropped()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        await Blacklist(cluster).AddAsync(["bob"]);
        var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(
            new NotifyMessage { Channel = NotifyChannel.Wework, Receivers = ["chat-1"], Body = "deploy done", MentionedList = ["alice", "bob"] })).MessageId);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal(["alice"], cluster.Transport(NotifyChannel.Wework).Deliveries.Single().Message.MentionedList);
    }

    [Fact]
    public async Task Contacts_UsernameResolvesPerChannel_UnknownIsUnresolvable()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        await Contact(cluster, "alice").PutAsync(new Contact { Username = "alice", Email = "alice@corp.example", WecomUserId = "alice.w" });

        var email = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(EmailTo("alice", "nobody"))).MessageId);
        Assert.Equal(MessageStatus.PartiallySent, email.Status);
        Assert.Equal("alice@corp.example", email.Receivers[0].Address);
        var unresolved = email.Receivers[1];
        Assert.Equal((ReceiverStatus.Failed, OutcomeReason.UnresolvableReceiver), (unresolved.Status, unresolved.Reason));
        Assert.Contains("has no user by that name", unresolved.Detail);

        var sms = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(new NotifyMessage { Channel = NotifyChannel.Sms, Receivers = ["alice"], Body = "b" })).MessageId);
        Assert.Equal(OutcomeReason.UnresolvableReceiver, sms.Receivers.Single().Reason);
        Assert.Contains("has no phone number", sms.Receivers.Single().Detail);

        // On WeCom a name with no directory entry is the WeCom user id itself (BK-CI sends usernames to RTX).
        var rtx = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(new NotifyMessage { Channel = NotifyChannel.Rtx, Receivers = ["alice", "zhangsan"], Title = "t", Body = "b" })).MessageId);
        Assert.Equal(["alice.w", "zhangsan"], rtx.Receivers.Select(r => r.Address));
    }

    [Fact]
    public async Task Contacts_InvalidContact_IsRefusedNamingTheField()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() =>
            Contact(cluster, "alice").PutAsync(new Contact { Username = "alice", Email = "not-an-address", Phone = "12" }));
        Assert.Equal(["email", "phone"], exception.Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task FrequencyLimit_SameContentWithinWindow_IsSuppressedByTheFirstMessage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await NotifyTestCluster.StartAsync(o => o.Services.Add(s => s.AddSingleton<TimeProvider>(clock)));
        var limited = EmailTo("a@example.com") with { FrequencyLimitMinutes = 5 };

        var first = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited)).MessageId);
        clock.Advance(TimeSpan.FromMinutes(4));
        var second = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited)).MessageId);
        var otherContent = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited with { Body = "other" })).MessageId);
        var otherReceiver = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited with { Receivers = ["b@example.com"] })).MessageId);
        var otherChannel = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(new NotifyMessage
        {
            Channel = NotifyChannel.Rtx, Receivers = ["a"], Title = limited.Title, Body = limited.Body, FrequencyLimitMinutes = 5,
        })).MessageId);
        clock.Advance(TimeSpan.FromMinutes(1));
        var afterWindow = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited)).MessageId);

        Assert.Equal(MessageStatus.Sent, first.Status);
        Assert.Equal(MessageStatus.Suppressed, second.Status);
        var suppressed = second.Receivers.Single();
        Assert.Equal((OutcomeReason.FrequencyLimited, first.Id), (suppressed.Reason, suppressed.SuppressedBy));
        Assert.Contains("5-minute frequency limit", suppressed.Detail);
        Assert.Equal(MessageStatus.Sent, otherContent.Status);
        Assert.Equal(MessageStatus.Sent, otherReceiver.Status);
        Assert.Equal(MessageStatus.Sent, otherChannel.Status);
        Assert.Equal(MessageStatus.Sent, afterWindow.Status);
    }

    [Fact]
    public async Task FrequencyLimit_ExactReceiverIdentity_BobIsNotBobby()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var limited = new NotifyMessage { Channel = NotifyChannel.Rtx, Receivers = ["bobby"], Title = "t", Body = "b", FrequencyLimitMinutes = 5 };
        await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited)).MessageId);
        var bob = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited with { Receivers = ["bob"] })).MessageId);
        Assert.Equal(MessageStatus.Sent, bob.Status);
    }

    [Fact]
    public async Task FrequencyLimit_PermanentFailure_ReleasesTheReservation()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        cluster.Transport(NotifyChannel.Email).Script("a@example.com", ScriptedTransport.Permanent("554 rejected"));
        var limited = EmailTo("a@example.com") with { FrequencyLimitMinutes = 60 };

        var failed = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited)).MessageId);
        var retried = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited)).MessageId);

        Assert.Equal(MessageStatus.Failed, failed.Status);
        Assert.Equal(MessageStatus.Sent, retried.Status);
    }

    [Fact]
    public async Task FrequencyLimit_AppliesToEmailCaseInsensitively()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var limited = EmailTo("Alice@Example.com") with { FrequencyLimitMinutes = 5 };
        await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited)).MessageId);
        var second = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(limited with { Receivers = ["alice@example.com"] })).MessageId);
        Assert.Equal(MessageStatus.Suppressed, second.Status);
    }
}
