using System.Diagnostics.Metrics;
using Notify.Grains.Telemetry;

namespace Notify.Silo.Operations.Console;

/// <summary>
/// What the console's overview plots: this silo's receiver outcomes per channel in 10-second buckets over the last
/// hour, and its channel queue depths, read from its own <see cref="NotifyMetrics"/> instruments by a
/// <see cref="MeterListener"/> (the same numbers <c>/metrics</c> exports, so the two never disagree). One silo's view:
/// the cluster's is Grafana's (deploy/monitoring), which sums every silo's <c>/metrics</c>.
/// </summary>
public sealed class ConsoleActivity : IHostedService, IDisposable
{
    public static readonly TimeSpan BucketWidth = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly int BucketCount = (int)(Window / BucketWidth);

    /// <summary>The counters followed, and the outcome each stands for.</summary>
    private static readonly Dictionary<string, string> Outcomes = new(StringComparer.Ordinal)
    {
        ["notify.receivers.sent"] = "sent",
        ["notify.receivers.failed"] = "failed",
        ["notify.receivers.retried"] = "retried",
        ["notify.receivers.suppressed"] = "suppressed",
        ["notify.receivers.blocked"] = "blocked",
        ["notify.receivers.cancelled"] = "cancelled",
    };

    private const string QueueDepthGauge = "notify.channel.queue.depth";

    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<(long Bucket, string Channel, string Outcome), long> _outcomes = [];
    private readonly Dictionary<(long Bucket, string Channel, string Reason), long> _failures = [];
    private readonly Dictionary<string, int> _queueDepth = new(StringComparer.Ordinal);

    public ConsoleActivity(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this host's meter: test processes (and benchmarks) run several hosts, each with its own factory.
            if (instrument.Meter.Name == NotifyMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)
                && (Outcomes.ContainsKey(instrument.Name) || instrument.Name == QueueDepthGauge))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnCount);
        _listener.SetMeasurementEventCallback<int>(OnGauge);
        _listener.Start();
    }

    public ConsoleOverview Read()
    {
        _listener.RecordObservableInstruments();
        var now = _time.GetUtcNow();
        var current = Bucket(now);
        var first = current - BucketCount + 1;
        lock (_gate)
        {
            Prune(first);
            var series = _outcomes
                .GroupBy(e => (e.Key.Channel, e.Key.Outcome))
                .OrderBy(g => g.Key.Channel, StringComparer.Ordinal).ThenBy(g => g.Key.Outcome, StringComparer.Ordinal)
                .Select(g =>
                {
                    var points = new long[BucketCount];
                    foreach (var entry in g)
                    {
                        points[entry.Key.Bucket - first] += entry.Value;
                    }

                    // The last minute's full buckets, so the rate does not dip while the current one fills.
                    var lastMinute = points[^7..^1].Sum();
                    return new ConsoleSeries(g.Key.Channel, g.Key.Outcome, Math.Round(lastMinute / 60.0, 2), points.Sum(), points);
                })
                .ToArray();
            var failures = _failures
                .GroupBy(e => (e.Key.Channel, e.Key.Reason))
                .Select(g => new ConsoleFailureCount(g.Key.Channel, g.Key.Reason, g.Sum(e => e.Value)))
                .OrderByDescending(f => f.Count).ThenBy(f => f.Channel, StringComparer.Ordinal)
                .ToArray();
            var queues = _queueDepth.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => new ConsoleQueueDepth(q.Key, q.Value)).ToArray();
            return new ConsoleOverview(now, (int)BucketWidth.TotalSeconds, Start(first), series, failures, queues);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private void OnCount(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var channel = Tag(tags, "channel");
        var bucket = Bucket(_time.GetUtcNow());
        var outcome = Outcomes[instrument.Name];
        lock (_gate)
        {
            _outcomes[(bucket, channel, outcome)] = _outcomes.GetValueOrDefault((bucket, channel, outcome)) + value;
            if (outcome == "failed")
            {
                var reason = Tag(tags, "reason");
                _failures[(bucket, channel, reason)] = _failures.GetValueOrDefault((bucket, channel, reason)) + value;
            }
        }
    }

    private void OnGauge(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        lock (_gate)
        {
            _queueDepth[Tag(tags, "channel")] = value;
        }
    }

    private void Prune(long first)
    {
        foreach (var key in _outcomes.Keys.Where(k => k.Bucket < first).ToList())
        {
            _outcomes.Remove(key);
        }

        foreach (var key in _failures.Keys.Where(k => k.Bucket < first).ToList())
        {
            _failures.Remove(key);
        }
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "";
            }
        }

        return "";
    }

    private static long Bucket(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / (long)BucketWidth.TotalMilliseconds;

    private static DateTimeOffset Start(long bucket) => DateTimeOffset.FromUnixTimeMilliseconds(bucket * (long)BucketWidth.TotalMilliseconds);
}

/// <summary>The overview: <c>series</c> are counts per bucket of <c>bucketSeconds</c> from <c>from</c>, oldest first.</summary>
public sealed record ConsoleOverview(
    DateTimeOffset Now,
    int BucketSeconds,
    DateTimeOffset From,
    IReadOnlyList<ConsoleSeries> Series,
    IReadOnlyList<ConsoleFailureCount> FailuresLastHour,
    IReadOnlyList<ConsoleQueueDepth> QueueDepth);

/// <summary>One channel's receivers with one outcome: per second over the last minute, in the last hour, and per bucket.</summary>
public sealed record ConsoleSeries(string Channel, string Outcome, double PerSecond, long LastHour, IReadOnlyList<long> Points);

public sealed record ConsoleFailureCount(string Channel, string Reason, long Count);

public sealed record ConsoleQueueDepth(string Channel, int Depth);
