using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Attention;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Npgsql;

namespace Notify.IntegrationTests.Delivery;

/// <summary>
/// The attention budget on the Postgres profile across a restart of the real host: the person's budget and open
/// digest come back from the grain storage, the digest reminder stays in the reminder table while a digest is open,
/// and the digest goes out once, under the id the held receivers were told. On the real clock with the shortest
/// window (1 minute): the reminder service and the provider leases run on it too, and a fake one would stall them.
/// </summary>
public sealed class AttentionPostgresRestartTests(PostgresServer postgres)
{
    private static readonly TimeSpan Window = AttentionOptions.MinWindow;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_WithADigestOpen_BudgetAndDigestComeBack_AndTheDigestGoesOutOnce()
    {
        var database = await postgres.CreateDatabaseAsync("attention_restart", Ct);
        const string cluster = "attention-restart";
        var before = new List<MessageRecord>();
        string person;
        await using (var first = await StartAsync(database, cluster))
        {
            var grains = first.ClusterClient;
            person = grains.GetGrain<IPersonAttentionGrain>(AttentionKeys.Person("monitor", NotifyChannel.Email, "alice", "alice@example.com")).GetGrainId().ToString();
            await grains.GetGrain<IContactGrain>(GrainKeys.Contact("alice")).PutAsync(new Contact { Username = "alice", Email = "alice@example.com" });
            for (var n = 0; n < 5; n++)
            {
                before.Add(await first.WaitForFinalAsync((await grains.GetGrain<INotifyGrain>(0).SubmitAsync(Alert(n))).MessageId));
            }
        }

        Assert.Equal([MessageStatus.Sent, MessageStatus.Sent], before.Take(2).Select(r => r.Status));
        var digestId = Assert.Single(before.Skip(2).Select(r => r.Receivers.Single().SuppressedBy).Distinct())!;
        Assert.StartsWith("msg_", digestId);
        Assert.Equal(["digest"], await RemindersAsync(database, cluster, person));

        await using var second = await StartAsync(database, cluster);
        var restarted = second.ClusterClient;
        Assert.Null(await restarted.GetGrain<IMessageGrain>(digestId).GetAsync());

        // The budget spent before the restart holds, and the open digest takes the next notice.
        var after = await second.WaitForFinalAsync((await restarted.GetGrain<INotifyGrain>(0).SubmitAsync(Alert(5))).MessageId);
        Assert.True(after.CreatedAt < before[0].CreatedAt + Window, $"the restart took past the window ({after.CreatedAt - before[0].CreatedAt}); the test needs a faster one");
        Assert.Equal((MessageStatus.Suppressed, digestId), (after.Status, after.Receivers.Single().SuppressedBy));

        var digest = (await Eventually.WaitAsync(
            () => restarted.GetGrain<IMessageGrain>(digestId).GetAsync(),
            r => r is not null && r.Status.IsFinal(),
            Window + TimeSpan.FromSeconds(60),
            r => $"digest {digestId} is {r?.Status.ToString() ?? "not submitted"}"))!;
        TestContext.Current.TestOutputHelper?.WriteLine($"digest submitted {(digest.CreatedAt - (before[0].CreatedAt + Window)).TotalSeconds:F1} s after it was due");
        Assert.Equal(MessageStatus.Sent, digest.Status);
        Assert.InRange(digest.CreatedAt - before[0].CreatedAt, Window, Window + TimeSpan.FromSeconds(30));
        Assert.Equal(AttentionDigestMessages.Reference(digestId), digest.Message.Reference);
        foreach (var n in Enumerable.Range(2, 4))
        {
            Assert.Contains($"(alert alert-{n})", digest.Message.Body);
        }

        Assert.DoesNotContain("(alert alert-1)", digest.Message.Body);
        Assert.Single(second.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == digestId);
        await Eventually.WaitAsync(() => RemindersAsync(database, cluster, person), r => r.Count == 0, TimeSpan.FromSeconds(30), r => $"reminders {string.Join(", ", r)}");
    }

    private static Task<NotifyTestHost> StartAsync(string database, string cluster) =>
        NotifyTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = database,
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:ServiceId"] = cluster,
            ["Notify:Attention:Enabled"] = "true",
            ["Notify:Attention:Window"] = Window.ToString(),
            ["Notify:Attention:Budgets:email"] = "2",
        });

    private static NotifyMessage Alert(int n) => new()
    {
        Channel = NotifyChannel.Email,
        Receivers = ["alice"],
        Title = $"Disk full on host {n}",
        Body = $"Disk full on host {n}",
        Source = "monitor",
        AlertLevel = 2,
        AlertId = $"alert-{n}",
        AlertName = $"Disk full on host {n}",
    };

    private static async Task<IReadOnlyList<string>> RemindersAsync(string database, string serviceId, string grainId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "select remindername from orleansreminderstable where serviceid = @service and grainid = @grain", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("grain", grainId);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
