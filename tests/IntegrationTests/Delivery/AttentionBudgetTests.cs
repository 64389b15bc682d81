using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Ownership;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Attention;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Delivery;

/// <summary>
/// The per-person attention budget (<c>Notify:Attention</c>) on the embedded profile with a fake clock: a storm of
/// alert notices to one person reaches them as at most the budget at once plus one digest per channel per window.
/// </summary>
public sealed partial class AttentionBudgetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<NotifyChannel, int> Budgets = new() { [NotifyChannel.Email] = 2, [NotifyChannel.Rtx] = 4 };

    [Fact]
    public async Task Storm_200Alerts_BudgetAtOnce_OneDigestPerChannelPerWindow_EveryAlertOnce_CriticalAtOnce()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await StartAsync(clock);
        await cluster.Client.GetGrain<IContactGrain>(GrainKeys.Contact("alice"))
            .PutAsync(new Contact { Username = "alice", Email = "alice@example.com", WecomUserId = "wx-alice" });

        // 200 alerts, one every 9 seconds (three windows), each to alice on e-mail and WeCom; alert 100 is fatal.
        const int Critical = 100;
        var start = clock.GetUtcNow();
        var records = new List<MessageRecord>();
        for (var n = 0; n < 200; n++)
        {
            var sends = Budgets.Keys.Select(channel => cluster.Notify.SubmitAsync(Alert(channel, n, level: n == Critical ? 1 : 2))).ToList();
            foreach (var submitted in await Task.WhenAll(sends))
            {
                records.Add(await cluster.WaitForFinalAsync(submitted.MessageId, Wait));
            }

            clock.Advance(TimeSpan.FromSeconds(9));
        }

        // Two more windows with nothing new: every open digest comes due and goes out.
        clock.Advance(Window);
        clock.Advance(Window);
        var digests = await WaitForDigestsAsync(cluster, records);

        foreach (var (channel, budget) in Budgets)
        {
            var alerts = records.Where(r => r.Channel == channel).ToList();
            var immediate = alerts.Where(r => r.Status == MessageStatus.Sent).ToList();
            var folded = alerts.Where(r => r.Status == MessageStatus.Suppressed).ToList();
            Assert.Equal(alerts.Count, immediate.Count + folded.Count);

            // No window holds more than the budget of immediate notices, the fatal one aside.
            var times = immediate.Where(r => r.Message.AlertLevel != 1).Select(r => r.CreatedAt).Order().ToList();
            for (var i = budget; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - budget] >= Window, $"{channel}: {budget + 1} immediate notices within {times[i] - times[i - budget]}");
            }

            Assert.Contains(immediate, r => r.Message.AlertId == AlertId(Critical));

            // One digest per window, and each lists exactly the alerts whose receivers name it.
            var channelDigests = digests.Where(d => d.Record.Channel == channel).OrderBy(d => d.Record.CreatedAt).ToList();
            Assert.InRange(channelDigests.Count, 1, 5);
            for (var i = 1; i < channelDigests.Count; i++)
            {
                Assert.True(channelDigests[i].Record.CreatedAt - channelDigests[i - 1].Record.CreatedAt >= Window, $"{channel}: two digests within a window");
            }

            foreach (var digest in channelDigests)
            {
                var naming = folded.Where(r => r.Receivers.Single().SuppressedBy == digest.Record.Id).Select(r => r.Message.AlertId);
                Assert.Equal(naming.Order(StringComparer.Ordinal), digest.AlertIds.Order(StringComparer.Ordinal));
                Assert.Equal(MessageStatus.Sent, digest.Record.Status);
            }

            // Every alert reached alice exactly once on this channel: at once or in one digest.
            var seen = immediate.Select(r => r.Message.AlertId).Concat(channelDigests.SelectMany(d => d.AlertIds)).ToList();
            Assert.Equal(Enumerable.Range(0, 200).Select(AlertId).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
            Assert.True(immediate.Count + channelDigests.Count < 40, $"{channel}: {immediate.Count} immediate notices and {channelDigests.Count} digests");
            output.WriteLine($"{channel.Name()} (budget {budget}): {immediate.Count} at once, {folded.Count} in {channelDigests.Count} digests ({string.Join(", ", channelDigests.Select(d => d.AlertIds.Count))})");
        }

        // With every digest out, the person's digest reminder is gone too.
        var person = cluster.Client.GetGrain<IPersonAttentionGrain>(AttentionKeys.Person("monitor", NotifyChannel.Email, "alice", "alice@example.com"));
        var reminders = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        await Eventually.WaitAsync(
            async () => (await reminders.ReadRows(person.GetGrainId())).Reminders.Select(r => r.ReminderName).ToList(),
            names => names.Count == 0,
            Wait,
            names => $"reminders {string.Join(", ", names)}");

        // The folded receivers say so, in the record and in the why-not answer.
        var held = records.First(r => r.Status == MessageStatus.Suppressed && r.Channel == NotifyChannel.Email).Receivers.Single();
        Assert.Equal(OutcomeReason.FoldedIntoDigest, held.Reason);
        Assert.StartsWith($"folded into digest {held.SuppressedBy}", held.Detail);
        Assert.StartsWith("msg_", held.SuppressedBy);
        var whyNot = await cluster.Query.WhyNotAsync("alice", NotifyChannel.Email, null, null, 200, OwnerScope.All);
        Assert.Contains(whyNot, e => e.Explanation.StartsWith("held by the attention budget: folded into digest msg_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disabled_OrNotAnAlert_EveryNoticeGoesOutAtOnce()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var off = await StartAsync(clock, enabled: false);
        await using var on = await StartAsync(clock);
        foreach (var (cluster, message) in new[] { (off, Alert(NotifyChannel.Email, 0, level: 2)), (on, Alert(NotifyChannel.Email, 0, level: 0)) })
        {
            for (var n = 0; n < 5; n++)
            {
                var notice = message with { Receivers = ["bob@example.com"], Body = $"notice {n}" };
                var record = await cluster.WaitForFinalAsync((await cluster.Notify.SubmitAsync(notice)).MessageId, Wait);
                Assert.Equal(MessageStatus.Sent, record.Status);
            }
        }
    }

    private static async Task<NotifyTestCluster> StartAsync(FakeTimeProvider clock, bool enabled = true) =>
        await NotifyTestCluster.StartAsync(o =>
        {
            o.Configuration["Notify:Attention:Enabled"] = enabled ? "true" : "false";
            o.Configuration["Notify:Attention:Window"] = Window.ToString();
            o.Configuration["Notify:Attention:Budget"] = "4";
            o.Configuration["Notify:Attention:Budgets:email"] = "2";
            o.Services.Add(s => s.AddSingleton<TimeProvider>(clock));
        });

    private static string AlertId(int n) => $"alert-{n}";

    private static NotifyMessage Alert(NotifyChannel channel, int n, int level) => new()
    {
        Channel = channel,
        Receivers = ["alice"],
        Title = $"Disk full on host {n}",
        Body = $"Disk full on host {n}",
        Source = "monitor",
        AlertLevel = level,
        AlertId = AlertId(n),
        AlertName = $"Disk full on host {n}",
        ActionId = $"action-{n}",
    };

    private sealed record DeliveredDigest(MessageRecord Record, IReadOnlyList<string> AlertIds);

    /// <summary>Waits until every digest the folded receivers name has been delivered, and reads the alerts each lists.</summary>
    private static async Task<IReadOnlyList<DeliveredDigest>> WaitForDigestsAsync(NotifyTestCluster cluster, IReadOnlyList<MessageRecord> records)
    {
        var ids = records.SelectMany(r => r.Receivers).Where(r => r.Reason == OutcomeReason.FoldedIntoDigest).Select(r => r.SuppressedBy!).Distinct().ToList();
        var digests = new List<DeliveredDigest>();
        foreach (var id in ids)
        {
            var record = await Eventually.WaitAsync(
                () => cluster.Client.GetGrain<IMessageGrain>(id).GetAsync(),
                r => r is not null && r.Status.IsFinal(),
                Wait,
                r => $"digest {id} is {r?.Status.ToString() ?? "not submitted"}");
            Assert.StartsWith(AttentionDigestMessages.Reference(id), record!.Message.Reference);
            Assert.Equal(0, record.Message.AlertLevel);
            var alertIds = ListedAlert().Matches(record.Message.Body).Select(m => m.Groups[1].Value).ToList();
            Assert.DoesNotContain("more", record.Message.Body);
            digests.Add(new DeliveredDigest(record, alertIds));
        }

        return digests;
    }

    [GeneratedRegex(@"\(alert (alert-\d+)\)")]
    private static partial Regex ListedAlert();
}
