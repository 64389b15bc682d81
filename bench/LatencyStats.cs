namespace Notify.Bench;

/// <summary>Percentiles of a set of durations (nearest-rank).</summary>
public sealed class LatencyStats(IEnumerable<TimeSpan> samples)
{
    private readonly double[] _sortedMs = samples.Select(s => s.TotalMilliseconds).Order().ToArray();

    public int Count => _sortedMs.Length;

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
