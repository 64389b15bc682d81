namespace Notify.Grains.Channels;

/// <summary>
/// A channel's waiting deliveries: strict priority between priorities (nothing of a lower one is taken while a higher
/// one waits), and within one priority the sources that have something waiting take turns, one item each, so a system
/// flooding HIGH delays another system's HIGH messages by at most one send per flooding source. Not thread-safe.
/// </summary>
public sealed class FairShareQueue<T>
{
    // Highest priority first.
    private readonly SortedDictionary<int, Level> _levels = new(Comparer<int>.Create((a, b) => b.CompareTo(a)));

    public int Count { get; private set; }

    public void Enqueue(T item, int priority, string source)
    {
        if (!_levels.TryGetValue(priority, out var level))
        {
            level = new Level();
            _levels[priority] = level;
        }

        if (!level.BySource.TryGetValue(source, out var waiting))
        {
            waiting = new Queue<T>();
            level.BySource[source] = waiting;
            level.Turns.Enqueue(source);
        }

        waiting.Enqueue(item);
        Count++;
    }

    /// <summary>The first item of the next source in turn at the highest priority that has any.</summary>
    public bool TryDequeue(out T item)
    {
        if (Count == 0)
        {
            item = default!;
            return false;
        }

        var (priority, level) = _levels.First();
        var source = level.Turns.Dequeue();
        var waiting = level.BySource[source];
        item = waiting.Dequeue();
        if (waiting.Count > 0)
        {
            level.Turns.Enqueue(source);
        }
        else
        {
            level.BySource.Remove(source);
            if (level.Turns.Count == 0)
            {
                _levels.Remove(priority);
            }
        }

        Count--;
        return true;
    }

    /// <summary>Takes every waiting item, in the order they would have been dequeued.</summary>
    public List<T> DequeueAll()
    {
        var all = new List<T>(Count);
        while (TryDequeue(out var item))
        {
            all.Add(item);
        }

        return all;
    }

    private sealed class Level
    {
        public Dictionary<string, Queue<T>> BySource { get; } = new(StringComparer.Ordinal);

        public Queue<string> Turns { get; } = new();
    }
}
