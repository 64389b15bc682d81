using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Actions;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Actions;

/// <summary>
/// One test cluster for the action instance tests (a short outcome re-check delay and sleep threshold) and helpers to read instances and their
/// reminders. Tests use distinct action ids.
/// </summary>
public sealed class ActionCluster : IAsyncLifetime
{
    /// <summary>Longer than the outcome re-check delay, so only a real sleep takes an instance out of memory.</summary>
    public static readonly TimeSpan DeactivateWhenAsleepLongerThan = TimeSpan.FromSeconds(6);

    private NotifyTestCluster? _cluster;

    public NotifyTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        _cluster = await NotifyTestCluster.StartAsync(o =>
        {
            o.Configuration["Notify:Actions:OutcomeCheckDelay"] = "00:00:05";
            o.Configuration["Notify:Actions:DeactivateWhenAsleepLongerThan"] = DeactivateWhenAsleepLongerThan.ToString();
            // Repeats seconds apart, so a test sees several.
            o.Configuration["Notify:Actions:MinNotifyIntervalSeconds"] = "1";
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public IActionInstanceGrain Action(string actionId) => Client.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(actionId));

    public Task PutGroupAsync(string groupId, params string[] members) =>
        Client.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(groupId)).PutAsync(new UserGroup { GroupId = groupId, Name = groupId, Members = members });

    /// <summary>A directory entry with an e-mail address and WeCom user id derived from the name, and the phone if given.</summary>
    public Task PutContactAsync(string username, string phone = "") =>
        Client.GetGrain<Grains.Abstractions.Grains.IContactGrain>(GrainKeys.Contact(username))
            .PutAsync(new Contact { Username = username, Email = $"{username}@example.com", WecomUserId = username, Phone = phone });

    public async Task<ActionInstanceView> WaitForAsync(string actionId, Func<ActionInstanceView, bool> done, string what, TimeSpan? timeout = null) =>
        (await Eventually.WaitAsync(
            () => Action(actionId).GetAsync(),
            v => v is not null && done(v),
            timeout ?? TimeSpan.FromSeconds(15),
            v => $"action {actionId} to {what}; it is {v?.Status.WireName() ?? "missing"} after {v?.Runs.Count ?? 0} run(s)"))!;

    public Task<ActionInstanceView> WaitForEndAsync(string actionId, TimeSpan? timeout = null) =>
        WaitForAsync(actionId, v => v.Status.IsEnd(), "finish", timeout);

    /// <summary>The reminders the reminder table holds for the instance.</summary>
    public async Task<IReadOnlyList<string>> RemindersAsync(string actionId)
    {
        var table = Cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRows(Action(actionId).GetGrainId());
        return rows.Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Deliveries of this instance's notices on <paramref name="channel"/>, in order.</summary>
    public IReadOnlyList<Grains.Abstractions.Delivery.ChannelDelivery> Deliveries(string actionId, NotifyChannel channel) =>
        Cluster.Transport(channel).Deliveries.Where(d => d.Message.Reference.StartsWith($"action:{actionId}/", StringComparison.Ordinal)).ToList();
}

[CollectionDefinition(Name)]
public sealed class ActionCollection : ICollectionFixture<ActionCluster>
{
    // One cluster, tests one after another: the timing tests measure seconds on a shared two-core machine.
    public const string Name = "actions";
}
