namespace Notify.Bench;

/// <summary>Percentiles of a set of durations (nearest-rank).</summary>
public sealed class LatencyStats(IEnumerable<TimeSpan> samples)
{
    private readonly double[] _sortedMs = samples.Select(s => s.TotalMilliseconds).Order().ToArray();

    public int Count => _sortedMs.Length;

    /// <summary>Makes calls 0 … <paramref name="count"/>−1 with <paramref name="concurrency"/> in flight (a closed loop), timing each.</summary>
    public static async Task<LatencyStats> MeasureAsync(int count, int concurrency, Func<int, Task> call)
    {
        var latencies = new TimeSpan[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await call(i);
                latencies[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            }
        }));
        return new LatencyStats(latencies);
    }

    public double Percentile(double p)
    {
        if (_sortedMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * _sortedMs.Length);
        return _sortedMs[Math.Clamp(rank - 1, 0, _sortedMs.Length - 1)];
    }

    public string Describe() => Count == 0 ? "n/a" : $"p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms, max {_sortedMs[^1]:F1} ms";
}
