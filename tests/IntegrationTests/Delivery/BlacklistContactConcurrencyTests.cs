using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;
using Notify.IntegrationTests.Infrastructure;
using Orleans.Configuration;

namespace Notify.IntegrationTests.Delivery;

/// <summary>
/// The blacklist reads contacts while contacts tell the blacklist about their changes: calls in both directions must
/// not wait on each other (a deadlock would hold both grains until the call timeout and leave a changed address unblocked).
/// </summary>
public sealed class BlacklistContactConcurrencyTests
{
    /// <summary>A deadlock surfaces as a timed-out grain call after this, well before the test's own bound.</summary>
    private static readonly TimeSpan GrainCallTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ConcurrentBlacklistAddsAndContactUpdates_AllFinish_AndTheBlacklistCoversTheNewAddresses()
    {
        await using var cluster = await NotifyTestCluster.StartAsync(o =>
            o.Services.Add(s => s.Configure<SiloMessagingOptions>(m => m.ResponseTimeout = GrainCallTimeout)));
        var blacklist = cluster.Client.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);
        var users = Enumerable.Range(0, 20).Select(i => $"racer{i}").ToArray();
        foreach (var user in users)
        {
            await Contact(cluster, user).PutAsync(new Contact { Username = user, Email = $"{user}@old.example" });
        }

        // Each round unblacklists everyone, then one add reads every user's contact in turn, and one add per user reads
        // that user's, while each contact is being changed (and so calling the blacklist back).
        const int rounds = 10;
        for (var round = 1; round <= rounds; round++)
        {
            await blacklist.RemoveAsync(users);
            var email = (string user) => $"{user}@round{round}.example";
            var calls = new List<Task> { blacklist.AddAsync(users) };
            foreach (var user in users)
            {
                calls.Add(Contact(cluster, user).PutAsync(new Contact { Username = user, Email = email(user) }));
                calls.Add(blacklist.AddAsync([user]));
            }

            await Task.WhenAll(calls).WaitAsync(Bound, TestContext.Current.CancellationToken);
        }

        var snapshot = await blacklist.GetAsync();
        Assert.All(users, user => Assert.Contains(user, snapshot.Users));
        Assert.All(users, user => Assert.Contains($"{user}@round{rounds}.example", snapshot.Addresses));
    }

    [Fact]
    public async Task BlacklistAdd_ContactReadFailsPartWay_AddsNothing()
    {
        await using var cluster = await NotifyTestCluster.StartAsync(o =>
            o.Services.Add(s => s.AddSingleton<IIncomingGrainCallFilter>(new FailingContactRead(GrainKeys.Contact("unreadable")))));
        var blacklist = cluster.Client.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);
        await Contact(cluster, "readable").PutAsync(new Contact { Username = "readable", Email = "readable@example.com" });

        await Assert.ThrowsAnyAsync<Exception>(() => blacklist.AddAsync(["readable", "unreadable"]));

        var snapshot = await blacklist.GetAsync();
        Assert.Empty(snapshot.Users);
        Assert.Empty(snapshot.Addresses);
    }

    private static IContactGrain Contact(NotifyTestCluster cluster, string username) => cluster.Client.GetGrain<IContactGrain>(GrainKeys.Contact(username));

    /// <summary>Fails reads of one contact, as a store outage would.</summary>
    private sealed class FailingContactRead(string contactKey) : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context) =>
            context.Grain is IContactGrain && context.TargetId.Key.ToString() == contactKey && context.InterfaceMethod.Name == nameof(IContactGrain.GetAsync)
                ? throw new InvalidOperationException($"test: reading contact {contactKey} fails")
                : context.Invoke();
    }
}
