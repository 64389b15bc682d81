using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels;
using Notify.Silo.Hosting;

namespace Notify.Bench;

/// <summary>
/// An alert storm against the attention budget, on one silo (embedded profile): N alerts, each an action instance
/// notifying one of G user groups by WeCom, the people spread over the groups. Prints what each person received
/// (immediate notices and digests), the digests' sizes, and how long each alert took to reach each of its people,
/// whether at once or in a digest.
/// </summary>
public static partial class AttentionStormBenchmark
{
    public static Command Command()
    {
        var alerts = new Option<int>("--alerts") { Description = "Alerts in the storm", DefaultValueFactory = _ => 10_000 };
        var people = new Option<int>("--people") { Description = "People, spread evenly over the groups", DefaultValueFactory = _ => 100 };
        var groups = new Option<int>("--groups") { Description = "User groups; alert i notifies group i mod G", DefaultValueFactory = _ => 5 };
        var window = new Option<int>("--window") { Description = "Notify:Attention:Window in seconds (at least 60)", DefaultValueFactory = _ => 60 };
        var budget = new Option<int>("--budget") { Description = "Notify:Attention:Budget: immediate notices per person per channel per window", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--concurrency") { Description = "Creates in flight", DefaultValueFactory = _ => 64 };
        var off = new Option<bool>("--without-budget") { Description = "The same storm with Notify:Attention off: what people get without it" };
        var command = new Command("storm", "An alert storm against the per-person attention budget: notices per person, digest sizes, alert-to-notice time")
        {
            alerts, people, groups, window, budget, concurrency, off,
        };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(
            parse.GetValue(alerts), parse.GetValue(people), parse.GetValue(groups), TimeSpan.FromSeconds(parse.GetValue(window)),
            parse.GetValue(budget), parse.GetValue(concurrency), !parse.GetValue(off), cancellationToken));
        return command;
    }

    private static async Task RunAsync(int alerts, int people, int groups, TimeSpan window, int budget, int concurrency, bool attention, CancellationToken cancellationToken)
    {
        var transport = new StormTransport();
        var app = NotifyHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Silo:SiloPort"] = ActionBenchPostgres.FreePort().ToString(CultureInfo.InvariantCulture),
                ["Silo:GatewayPort"] = ActionBenchPostgres.FreePort().ToString(CultureInfo.InvariantCulture),
                ["Gateway:HttpPort"] = "0",
                ["Gateway:GrpcPort"] = "0",
                ["Notify:Attention:Enabled"] = attention ? "true" : "false",
                ["Notify:Attention:Window"] = window.ToString("c", CultureInfo.InvariantCulture),
                ["Notify:Attention:Budget"] = budget.ToString(CultureInfo.InvariantCulture),
                ["Notify:Outbox:Path"] = Path.Combine(Path.GetTempPath(), "notify-bench-outbox"),
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Services.AddSingleton<IChannelTransport>(transport);
        });
        await app.StartAsync(cancellationToken);
        try
        {
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            var members = Enumerable.Range(0, people).Select(p => string.Create(CultureInfo.InvariantCulture, $"oncall{p:D3}")).ToArray();
            for (var g = 0; g < groups; g++)
            {
                var group = members.Where((_, p) => p % groups == g).ToArray();
                await grains.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(GroupId(g))).PutAsync(new UserGroup { GroupId = GroupId(g), Name = GroupId(g), Members = group });
            }

            Console.WriteLine($"alert storm: {alerts} alerts, {people} people in {groups} groups, WeCom, " +
                (attention ? $"attention budget {budget} per {window.TotalSeconds:F0} s" : "no attention budget") + ", 1 in 101 alerts fatal");
            var raised = new DateTimeOffset[alerts];
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, alerts), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, _) =>
            {
                raised[i] = DateTimeOffset.UtcNow;
                await grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(ActionId(i))).CreateAsync(Request(i, groups, raised[i]));
            });
            Console.WriteLine($"  raised {alerts} alerts in {clock.Elapsed.TotalSeconds:F1} s");

            // Every (alert, person) pair reaches the person once: at once, or listed in a digest.
            var expected = (long)alerts * people / groups;
            var deadline = DateTime.UtcNow + window * 3 + TimeSpan.FromMinutes(5);
            while (transport.Covered < expected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }

            Console.WriteLine($"  {transport.Covered} of {expected} (alert, person) pairs delivered {clock.Elapsed.TotalSeconds:F1} s after the storm began");
            Report(transport, raised, people);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static void Report(StormTransport transport, DateTimeOffset[] raised, int people)
    {
        var perPerson = transport.Notices.GroupBy(n => n.Person).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var total = perPerson.Values.Select(n => (double)n.Count).Order().ToArray();
        var immediate = perPerson.Values.Select(n => (double)n.Count(x => x.DigestSize == 0)).Order().ToArray();
        var digests = perPerson.Values.Select(n => (double)n.Count(x => x.DigestSize > 0)).Order().ToArray();
        var sizes = transport.Notices.Where(n => n.DigestSize > 0).Select(n => (double)n.DigestSize).Order().ToArray();
        Console.WriteLine($"  notices per person ({perPerson.Count} of {people} reached): p50 {Percentile(total, 0.5):F0}, p99 {Percentile(total, 0.99):F0}, max {total.LastOrDefault():F0} " +
            $"(at once: max {immediate.LastOrDefault():F0}; digests: max {digests.LastOrDefault():F0})");
        Console.WriteLine($"  digests: {sizes.Length}, alerts per digest p50 {Percentile(sizes, 0.5):F0}, p99 {Percentile(sizes, 0.99):F0}, max {sizes.LastOrDefault():F0}");

        var reachedAfter = transport.FirstReached
            .Select(pair => (pair.Value - raised[pair.Key.Alert]).TotalMilliseconds)
            .Order()
            .ToArray();
        var atOnce = transport.FirstReachedAtOnce.Select(pair => (pair.Value - raised[pair.Key.Alert]).TotalMilliseconds).Order().ToArray();
        Console.WriteLine($"  alert to first notice, per (alert, person) listed: p50 {Percentile(reachedAfter, 0.5) / 1000:F1} s, p99 {Percentile(reachedAfter, 0.99) / 1000:F1} s over {reachedAfter.Length} pairs");
        Console.WriteLine($"  of those sent at once: p50 {Percentile(atOnce, 0.5):F1} ms, p99 {Percentile(atOnce, 0.99):F1} ms over {atOnce.Length} pairs");
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string GroupId(int g) => string.Create(CultureInfo.InvariantCulture, $"storm-group-{g}");

    private static string ActionId(int i) => string.Create(CultureInfo.InvariantCulture, $"storm-{i:D6}");

    private static CreateActionRequest Request(int i, int groups, DateTimeOffset beginTime) => new()
    {
        ActionId = ActionId(i),
        Alert = new ActionAlert
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"alert-{i}"),
            Name = string.Create(CultureInfo.InvariantCulture, $"CPU usage high on host-{i % 1000}"),
            // 101 is prime to any group count below it, so the fatal alerts fall on every group.
            Level = i % 101 == 0 ? 1 : 2,
            Content = "cpu usage 95% for 5 minutes (threshold 90%)",
            BeginTime = beginTime,
        },
        NotifyConfig = new ActionNotifyConfig
        {
            UserGroups = [GroupId(i % groups)],
            Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["rtx"] },
        },
        ExecuteConfig = new ActionExecuteConfig { NeedPoll = false },
    };

    [GeneratedRegex(@"\(alert alert-(\d+)\)")]
    private static partial Regex ListedAlert();

    [GeneratedRegex(@"^(\d+) alert notice")]
    private static partial Regex DigestCount();

    /// <summary>What reached each person: a notice of one alert at once, or a digest listing several.</summary>
    private sealed record Notice(string Person, int DigestSize);

    /// <summary>Answers every delivery as delivered and notes, per person, each notice and the alerts it carried.</summary>
    private sealed class StormTransport : IChannelTransport
    {
        private long _covered;

        public NotifyChannel Channel => NotifyChannel.Rtx;

        public string Name => "storm-sink";

        public int MaxConcurrency => 64;

        public ChannelRateLimit? RateLimit => null;

        public ConcurrentBag<Notice> Notices { get; } = [];

        public ConcurrentDictionary<(int Alert, string Person), DateTimeOffset> FirstReached { get; } = new();

        public ConcurrentDictionary<(int Alert, string Person), DateTimeOffset> FirstReachedAtOnce { get; } = new();

        /// <summary>(alert, person) pairs delivered: at once, or counted in a digest.</summary>
        public long Covered => Interlocked.Read(ref _covered);

        public SendFailure Classify(Exception exception) => FailureRules.ForException(exception, Classify);

        public Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
        {
            var arrived = DateTimeOffset.UtcNow;
            var message = delivery.Message;
            foreach (var recipient in delivery.Recipients)
            {
                if (message.Reference.StartsWith("attention-digest:", StringComparison.Ordinal))
                {
                    var size = DigestCount().Match(message.Title) is { Success: true } count ? int.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
                    Notices.Add(new Notice(recipient.Address, size));
                    Interlocked.Add(ref _covered, size);
                    foreach (Match listed in ListedAlert().Matches(message.Body))
                    {
                        FirstReached.TryAdd((int.Parse(listed.Groups[1].Value, CultureInfo.InvariantCulture), recipient.Address), arrived);
                    }
                }
                else if (message.AlertId.StartsWith("alert-", StringComparison.Ordinal))
                {
                    var alert = int.Parse(message.AlertId["alert-".Length..], CultureInfo.InvariantCulture);
                    Notices.Add(new Notice(recipient.Address, 0));
                    Interlocked.Increment(ref _covered);
                    FirstReached.TryAdd((alert, recipient.Address), arrived);
                    FirstReachedAtOnce.TryAdd((alert, recipient.Address), arrived);
                }
            }

            return Task.FromResult(DeliveryResult.AllDelivered(delivery.Recipients, $"storm-{delivery.MessageId}"));
        }
    }
}
