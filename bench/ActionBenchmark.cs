using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Channels;
using Notify.Silo.Hosting;

namespace Notify.Bench;

/// <summary>
/// N sleeping action instances on one silo, Postgres profile, fsync on: the creation rate, the silo's memory once they
/// all sleep, and how late each instance's first repeat notice comes versus the time it was due. The repeats are spread
/// evenly over a window that opens after creation, so the silo runs them while holding every instance.
/// </summary>
public static class ActionBenchmark
{
    private const string Group = "bench-ops";

    public static Command Command()
    {
        var instances = new Option<int[]>("--instances")
        {
            Description = "Instance counts; each is measured on a fresh database and silo",
            DefaultValueFactory = _ => [10_000, 100_000],
            AllowMultipleArgumentsPerToken = true,
        };
        var windowStart = new Option<int?>("--window-start")
        {
            Description = "Seconds after creation begins when the first repeats start to fall due (default N/100 + 60: room for creating at 100/s)",
        };
        var window = new Option<int?>("--window")
        {
            Description = "Seconds over which the first repeats fall due (default N/100, at least 60: 100 repeats/s, which a 2-core box with fsync on sustains)",
        };
        var concurrency = new Option<int>("--concurrency") { Description = "Creates in flight", DefaultValueFactory = _ => 64 };
        var collectIdle = new Option<bool>("--collect-idle")
        {
            Description = "After measuring, deactivate the idle (sleeping) activations, as the silo does after Orleans' collection age (15 min), " +
                "measure again, and let the reminders stored in PostgreSQL wake the instances for their repeats",
        };
        var command = new Command("actions", "Sleeping action instances on one silo (Postgres, fsync on): memory, creation rate, repeat lateness")
        {
            instances, windowStart, window, concurrency, collectIdle,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var postgres = await ActionBenchPostgres.StartAsync();
            Console.WriteLine($"PostgreSQL {string.Join(", ", ActionBenchPostgres.Settings)}; {Environment.ProcessorCount} cores; server GC {System.Runtime.GCSettings.IsServerGC}");
            foreach (var count in parse.GetValue(instances)!)
            {
                var start = TimeSpan.FromSeconds(parse.GetValue(windowStart) ?? count / 100 + 60);
                var spread = TimeSpan.FromSeconds(parse.GetValue(window) ?? Math.Max(60, count / 100));
                await RunAsync(postgres, count, start, spread, parse.GetValue(concurrency), parse.GetValue(collectIdle), cancellationToken);
            }
        });
        return command;
    }

    private static async Task RunAsync(
        ActionBenchPostgres postgres, int count, TimeSpan windowStart, TimeSpan window, int concurrency, bool collectIdle, CancellationToken cancellationToken)
    {
        var database = await postgres.CreateDatabaseAsync($"bench_actions_{count}_{Guid.NewGuid().ToString("N")[..6]}");
        var transport = new ActionBenchTransport();
        var app = StartSilo(database, count, transport);
        await app.StartAsync(cancellationToken);
        try
        {
            Console.WriteLine($"\n{count} instances: load average {LoadAverage()}, PostgreSQL fsync={await postgres.ShowAsync(database, "fsync")}");
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(Group)).PutAsync(new UserGroup { GroupId = Group, Name = "Bench on-call", Members = ["alice"] });

            var due = new DateTimeOffset[count];
            var failures = 0;
            string? firstFailure = null;
            var started = DateTimeOffset.UtcNow;
            var windowOpens = started + windowStart;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, _) =>
            {
                // Instance i falls due at its place in the window: the interval is what remains until then.
                var target = windowOpens + window * (i / (double)count);
                var interval = Math.Max(1, (int)Math.Ceiling((target - DateTimeOffset.UtcNow).TotalSeconds));
                try
                {
                    var view = await grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(ActionId(i))).CreateAsync(Request(i, interval, started));
                    due[i] = view.Runs[0].StartedAt.AddSeconds(interval);
                }
                catch (Exception exception)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, exception.Message, null);
                }
            });
            var creation = clock.Elapsed;
            Console.WriteLine($"  created {count - failures} in {creation.TotalSeconds:F1} s: {(count - failures) / creation.TotalSeconds:F0} instances/s ({concurrency} in flight){(failures > 0 ? $"; {failures} failed, first: {firstFailure}" : "")}");

            await WaitAsync(() => transport.FirstNotices >= count - failures, TimeSpan.FromMinutes(10), () => $"{transport.FirstNotices} first notices delivered");
            await WaitAsync(() => AllAsleepAsync(grains, count, due), TimeSpan.FromMinutes(5), () => "a sample of instances to sleep");
            var settled = DateTimeOffset.UtcNow;
            Console.WriteLine($"  every first notice delivered and the instances asleep {(settled - started).TotalSeconds:F1} s after creation began");
            await PrintMemoryAsync(grains, "after creation");
            if (collectIdle)
            {
                await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromSeconds(5));
                await PrintMemoryAsync(grains, "idle activations collected");
            }

            var measured = due.Where(d => d != default).ToArray();
            var dueEarly = measured.Count(d => d < settled);
            Console.WriteLine($"  first repeats due {(measured.Min() - started).TotalSeconds:F0} s to {(measured.Max() - started).TotalSeconds:F0} s after creation began{(dueEarly > 0 ? $"; {dueEarly} fell due before the instances settled: raise --window-start" : "")}");

            var lastDue = measured.Max();
            await WaitAsync(() => transport.Repeats.Count >= measured.Length, lastDue - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2), () => $"{transport.Repeats.Count} of {measured.Length} first repeats delivered");
            Console.WriteLine($"  load average {LoadAverage()}");
            await PrintLatenessAsync(grains, transport, due, concurrency);
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await app.StopAsync(stopping.Token);
            await app.DisposeAsync();
        }
    }

    /// <summary>The real silo process on the Postgres profile, with production reminder and delivery settings.</summary>
    private static WebApplication StartSilo(string database, int count, ActionBenchTransport transport) => NotifyHost.Build([], builder =>
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = database,
            ["Orleans:ClusterId"] = $"bench-actions-{count}",
            ["Orleans:ServiceId"] = $"bench-actions-{count}",
            ["Silo:SiloPort"] = ActionBenchPostgres.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = ActionBenchPostgres.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Gateway:HttpPort"] = "0",
            ["Gateway:GrpcPort"] = "0",
            // Instances fall due across a short window, some seconds apart.
            ["Notify:Actions:MinNotifyIntervalSeconds"] = "1",
            ["Notify:Outbox:Path"] = Path.Combine(Path.GetTempPath(), "notify-bench-outbox"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton<IChannelTransport>(transport);
    });

    private static string ActionId(int i) => string.Create(CultureInfo.InvariantCulture, $"bench-{i:D7}");

    /// <summary>A realistic bk-monitor notice action: increasing repeats, retries, ack and recovered notices.</summary>
    private static CreateActionRequest Request(int i, int interval, DateTimeOffset beginTime) => new()
    {
        ActionId = ActionId(i),
        Alert = new ActionAlert
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"alert-{i}"),
            Name = string.Create(CultureInfo.InvariantCulture, $"CPU usage high on host-{i % 1000}"),
            Level = 2,
            Content = "cpu usage 95% for 5 minutes (threshold 90%)",
            Dimensions = new Dictionary<string, string> { ["bk_target_ip"] = string.Create(CultureInfo.InvariantCulture, $"10.0.{i / 250 % 256}.{i % 250}"), ["bk_biz_id"] = "2" },
            BeginTime = beginTime,
        },
        NotifyConfig = new ActionNotifyConfig
        {
            UserGroups = [Group],
            Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = ["rtx"], [NotifyStep.Recovered] = ["rtx"], [NotifyStep.Ack] = ["rtx"] },
        },
        ExecuteConfig = new ActionExecuteConfig
        {
            NeedPoll = true,
            NotifyInterval = interval,
            IntervalNotifyMode = IntervalNotifyMode.Increasing,
            FailedRetry = new FailedRetryConfig { IsEnabled = true, MaxRetryTimes = 2, RetryInterval = 60, Timeout = 600 },
        },
    };

    /// <summary>A sample of 200 instances, spread over the ids, is asleep (the completion of the first notice lands after its delivery).</summary>
    private static async Task<bool> AllAsleepAsync(IGrainFactory grains, int count, DateTimeOffset[] due)
    {
        var sample = Enumerable.Range(0, 200).Select(k => k * count / 200).Where(i => due[i] != default);
        var views = await Task.WhenAll(sample.Select(i => grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(ActionId(i))).GetAsync()));
        return views.All(v => v?.Status == ActionStatus.Sleep);
    }

    private static async Task PrintMemoryAsync(IGrainFactory grains, string when)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Console.WriteLine($"  memory {when} (full GC): working set {Mib(process.WorkingSet64)}, GC heap {Mib(GC.GetTotalMemory(false))} (committed {Mib(info.TotalCommittedBytes)})");

        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var activations = statistics.GroupBy(s => s.GrainType).Select(g => (Type: g.Key, Count: g.Sum(s => s.ActivationCount))).OrderByDescending(t => t.Count).Take(6);
        Console.WriteLine($"  activations: {string.Join(", ", activations.Select(a => $"{a.Type} {a.Count}"))}");
    }

    /// <summary>Tick lateness (the repeat run's start versus its due time) and delivery lateness (the notice at the transport).</summary>
    private static async Task PrintLatenessAsync(IGrainFactory grains, ActionBenchTransport transport, DateTimeOffset[] due, int concurrency)
    {
        var ticks = new TimeSpan?[due.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, due.Length).Where(i => due[i] != default), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var view = await grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(ActionId(i))).GetAsync();
            var repeat = view?.Runs.FirstOrDefault(r => r.Step == NotifyStep.Abnormal && r.ExecuteTimes == 2 && r.RetryTimes == 0);
            ticks[i] = repeat is null ? null : repeat.StartedAt - due[i];
        });

        var tickStats = new LatencyStats(ticks.OfType<TimeSpan>());
        var deliveries = Enumerable.Range(0, due.Length)
            .Where(i => due[i] != default && transport.Repeats.ContainsKey(ActionId(i)))
            .Select(i => transport.Repeats[ActionId(i)] - due[i]);
        var deliveryStats = new LatencyStats(deliveries);
        var expected = due.Count(d => d != default);
        Console.WriteLine($"  repeat tick lateness (run start − due):       {tickStats.Describe()} over {tickStats.Count} of {expected}");
        Console.WriteLine($"  repeat delivery lateness (at transport − due): {deliveryStats.Describe()} over {deliveryStats.Count} of {expected}");
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout, Func<string> describe) =>
        await WaitAsync(() => Task.FromResult(done()), timeout, describe);

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await done())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout}: {describe()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):F0} MiB";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
