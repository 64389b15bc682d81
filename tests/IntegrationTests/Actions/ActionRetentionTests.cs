using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Actions;

/// <summary>
/// Finished instances are purged <c>Notify:Actions:FinishedRetention</c> after they ended, on the embedded profile with
/// a fake clock (the Postgres profile: <see cref="ActionPostgresRestartTests"/>).
/// </summary>
public sealed class ActionRetentionTests
{
    [Fact]
    public async Task FinishedRetention_PastTheWindowGoneBeforeItKept_OpenNeverPurged()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await NotifyTestCluster.StartAsync(o =>
        {
            o.Configuration["Notify:Actions:FinishedRetention"] = "30.00:00:00";
            o.Services.Add(s => s.AddSingleton<TimeProvider>(clock));
        });
        var grains = cluster.Client;
        await grains.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup("ops")).PutAsync(new UserGroup { GroupId = "ops", Name = "ops", Members = ["alice"] });
        IActionInstanceGrain Action(string id) => grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(id));

        await Action("purge-old").CreateAsync(ActionRequests.For("purge-old", "ops"));
        await WaitForEndAsync(Action("purge-old"));
        clock.Advance(TimeSpan.FromDays(20));
        await Action("purge-new").CreateAsync(ActionRequests.For("purge-new", "ops"));
        await WaitForEndAsync(Action("purge-new"));
        // Open for good: an hour between repeats, and never stopped.
        await Action("purge-open").CreateAsync(ActionRequests.For("purge-open", "ops").Repeating(3600, IntervalNotifyMode.Standard));
        Assert.Equal(["purge"], await RemindersAsync(cluster, "purge-old"));

        clock.Advance(TimeSpan.FromDays(11));

        Assert.Null(await Action("purge-old").GetAsync());
        var kept = await Action("purge-new").GetAsync();
        Assert.NotNull(kept);
        Assert.True(kept.Status.IsEnd());
        var open = await Action("purge-open").GetAsync();
        Assert.NotNull(open);
        Assert.False(open.Status.IsEnd());
        var listed = (await ActionListing.ListAsync(grains, new ActionListQuery { PageSize = 100 })).Items.Select(e => e.ActionId).Order(StringComparer.Ordinal);
        Assert.Equal(["purge-new", "purge-open"], listed);
        Assert.Empty(await RemindersAsync(cluster, "purge-old"));
        Assert.Equal(["purge"], await RemindersAsync(cluster, "purge-new"));
        var signal = await Assert.ThrowsAsync<NotifyRequestException>(() => Action("purge-old").AckAsync());
        Assert.Equal(RequestErrorKind.NotFound, signal.Kind);

        // The purged id is free again: a new instance, not the old one.
        var again = await Action("purge-old").CreateAsync(ActionRequests.For("purge-old", "ops"));
        Assert.Equal(clock.GetUtcNow(), again.CreatedAt);
    }

    private static async Task WaitForEndAsync(IActionInstanceGrain action) =>
        await Eventually.WaitAsync(action.GetAsync, v => v is not null && v.Status.IsEnd(), TimeSpan.FromSeconds(30), v => $"the instance to finish; it is {v?.Status.WireName()}");

    private static async Task<IReadOnlyList<string>> RemindersAsync(NotifyTestCluster cluster, string actionId)
    {
        var table = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRows(cluster.Client.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(actionId)).GetGrainId());
        return rows.Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToList();
    }
}
