using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Processes;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// Two real hosts on the Postgres profile in this process, one cluster through PostgreSQL's membership table (no test
/// membership): when silo A leaves, what it held moves to silo B by Orleans' own means. A contact grain activated on A
/// is served by B from its stored state, and delayed messages whose grain and reminder were both A's fire on time on
/// B, with the recovery pass too slow to be the one that woke them.
/// </summary>
public sealed class MembershipTakeoverTests(PostgresServer postgres)
{
    private const int DelaySeconds = 10;
    private const int DelayedMessages = 32;

    // A reminder fires within a second or so of its due time; the recovery pass would only look after 10 minutes.
    private static readonly TimeSpan OnTime = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task StopSilo_ContactAndDelayedMessagesItHeld_ServedAndFiredOnTimeBySurvivor()
    {
        var database = await postgres.CreateDatabaseAsync("takeover", Ct);
        var clusterId = "takeover-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>(SiloProcessCluster.FastFailover)
        {
            ["Notify:Reminders:MinimumPeriod"] = "00:00:01",
            ["Notify:Delivery:RecoveryPeriod"] = "00:10:00",
        };
        await using var leaving = await InProcessSilo.StartAsync(database, clusterId, settings);
        await using var survivor = await InProcessSilo.StartAsync(database, clusterId, settings);
        var leavingAddress = leaving.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var survivorAddress = survivor.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var management = survivor.Client.GetGrain<IManagementGrain>(0);
        await Eventually.WaitAsync(
            () => management.GetHosts(onlyActive: true),
            hosts => hosts.Count == 2,
            TimeSpan.FromSeconds(30),
            hosts => $"active silos: {string.Join(", ", hosts.Keys)}");

        // A contact whose grain lives on the silo that will leave (Orleans' placement hint picks the silo).
        var contact = new Contact { Username = "carol", Email = "carol@example.com" };
        await PlacementHint.OnSilo(leavingAddress, () => leaving.Client.GetGrain<IContactGrain>(GrainKeys.Contact(contact.Username)).PutAsync(contact));

        Assert.Equal(leavingAddress, await management.GetActivationAddress(survivor.Client.GetGrain<IContactGrain>(GrainKeys.Contact(contact.Username)), Ct));

        // Delayed messages whose grains are placed on the leaving silo; keep those whose reminder is its own too.
        var submitted = Stopwatch.StartNew();
        var ids = new List<string>();
        for (var i = 0; i < DelayedMessages; i++)
        {
            var message = ClusterSettings.Email($"late{i}@example.com", $"late {i}", DelaySeconds);
            ids.Add((await PlacementHint.OnSilo(leavingAddress, () => leaving.Client.GetGrain<INotifyGrain>(0).SubmitAsync(message))).MessageId);
        }

        var active = (await ClusterTables.MembersAsync(database, clusterId, Ct)).Where(m => m.Status == (int)SiloStatus.Active).Select(m => m.Address).ToArray();
        var reminders = (await ClusterTables.RemindersAsync(database, clusterId, Ct)).Where(r => r.Name.StartsWith("wake:", StringComparison.Ordinal)).ToDictionary(r => r.GrainKey, r => r.GrainHash);
        var orphaned = new List<string>();
        int grainsOnLeaving = 0, remindersOnLeaving = 0;
        foreach (var id in ids)
        {
            var grainOnLeaving = leavingAddress.Equals(await management.GetActivationAddress(survivor.Client.GetGrain<IMessageGrain>(id), Ct));
            var reminderOnLeaving = reminders.TryGetValue(id, out var hash) && ReminderRing.Owner(hash, active).Equals(leavingAddress);
            grainsOnLeaving += grainOnLeaving ? 1 : 0;
            remindersOnLeaving += reminderOnLeaving ? 1 : 0;
            if (grainOnLeaving && reminderOnLeaving)
            {
                orphaned.Add(id);
            }
        }

        // Which half of the precondition failed says where to look: placement (grains) or the reminder ring.
        Assert.True(
            orphaned.Count > 0,
            $"none of {ids.Count} delayed messages had both its grain and its reminder on the leaving silo: {grainsOnLeaving} grains and {remindersOnLeaving} of {reminders.Count} reminders were there");

        // Silo A leaves (the host's graceful stop, as on SIGTERM): it hands its grains and reminder ranges over.
        await leaving.StopAsync();
        var stoppedAfter = submitted.Elapsed;
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(DelaySeconds), $"the silo took until {stoppedAfter.TotalSeconds:F1} s to stop, after the messages were due");
        var members = await ClusterTables.MembersAsync(database, clusterId, Ct);

        // The contact is read back from PostgreSQL by a new activation on the survivor.
        var served = await survivor.Client.GetGrain<IContactGrain>(GrainKeys.Contact(contact.Username)).GetAsync();
        var servedBy = await management.GetActivationAddress(survivor.Client.GetGrain<IContactGrain>(GrainKeys.Contact(contact.Username)), Ct);

        // The delayed messages: read from the table, since a read through the grain would wake it by itself.
        var records = await MessageRows.WaitUntilFinalAsync(database, ids, TimeSpan.FromSeconds(DelaySeconds + 30), () => "", Ct);
        var lateness = orphaned.ToDictionary(id => id, id => records[id].CompletedAt!.Value - records[id].CreatedAt.AddSeconds(DelaySeconds));

        Report($"silo A stopped {stoppedAfter.TotalSeconds:F1} s after the first submit; membership: {string.Join(", ", members.Select(m => $"{m.Address} {(SiloStatus)m.Status}"))}");
        Report($"contact served by {servedBy} (survivor {survivorAddress}): {served?.Email}");
        Report($"{orphaned.Count} of {ids.Count} delayed messages had grain and reminder on silo A; sent {string.Join(", ", lateness.Values.Select(l => $"{l.TotalSeconds:F2}"))} s after due");

        Assert.Equal((int)SiloStatus.Dead, members.Single(m => m.Address.Equals(leavingAddress)).Status);
        Assert.Equal(contact.Email, served?.Email);
        Assert.Equal(survivorAddress, servedBy);
        Assert.All(ids, id => Assert.Equal(MessageStatus.Sent, records[id].Status));
        Assert.All(lateness, l => Assert.True(l.Value >= TimeSpan.Zero && l.Value < OnTime, $"{l.Key} was sent {l.Value.TotalSeconds:F2} s after its due time"));
    }
}
