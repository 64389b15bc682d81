using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Actions;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Delivery;

/// <summary>Action instances' notices are the alert notices the attention budget counts, end to end on the embedded profile.</summary>
public sealed class AttentionActionNoticeTests
{
    [Fact]
    public async Task ActionNotices_OverTheBudget_ReachThePersonInOneDigest_ListingTheirAlerts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await NotifyTestCluster.StartAsync(o =>
        {
            o.Configuration["Notify:Attention:Enabled"] = "true";
            o.Configuration["Notify:Attention:Budgets:email"] = "2";
            o.Services.Add(s => s.AddSingleton<TimeProvider>(clock));
        });
        var grains = cluster.Client;
        await grains.GetGrain<IContactGrain>(GrainKeys.Contact("alice")).PutAsync(new Contact { Username = "alice", Email = "alice@example.com" });
        await grains.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup("ops")).PutAsync(new UserGroup { GroupId = "ops", Name = "ops", Members = ["alice"] });

        var records = new List<MessageRecord>();
        for (var n = 0; n < 4; n++)
        {
            var id = $"attention-{n}";
            var request = ActionRequests.For(id, "ops");
            await grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(id)).CreateAsync(request with { Alert = request.Alert with { Level = 2 } });
            var view = await Eventually.WaitAsync(
                () => grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(id)).GetAsync(),
                v => v?.Runs.SingleOrDefault()?.Results.SingleOrDefault()?.MessageId is not null,
                TimeSpan.FromSeconds(30),
                v => $"action {id} to submit its notice; it is {v?.Status.WireName()}");
            records.Add(await cluster.WaitForFinalAsync(view!.Runs.Single().Results.Single().MessageId!, TimeSpan.FromSeconds(30)));
        }

        Assert.All(records, r => Assert.Equal((2, $"alert-attention-{records.IndexOf(r)}", $"attention-{records.IndexOf(r)}", "CPU high"),
            (r.Message.AlertLevel, r.Message.AlertId, r.Message.ActionId, r.Message.AlertName)));
        Assert.Equal([MessageStatus.Sent, MessageStatus.Sent, MessageStatus.Suppressed, MessageStatus.Suppressed], records.Select(r => r.Status));
        var digestId = Assert.Single(records.Skip(2).Select(r => r.Receivers.Single().SuppressedBy).Distinct())!;

        clock.Advance(TimeSpan.FromMinutes(10));
        var digest = await cluster.WaitForFinalAsync(digestId, TimeSpan.FromSeconds(30));
        Assert.Equal(MessageStatus.Sent, digest.Status);
        Assert.Equal(
            "2 alert notices held back by your attention budget:\n- CPU high (alert alert-attention-2)\n- CPU high (alert alert-attention-3)",
            digest.Message.Body);
        Assert.Equal(["alice@example.com"], cluster.Transport(NotifyChannel.Email).Deliveries.Single(d => d.MessageId == digestId).Recipients.Select(r => r.Address));
    }
}
