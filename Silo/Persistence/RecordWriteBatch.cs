namespace Notify.Silo.Persistence;

/// <summary>
/// The writes one group-commit statement carries: at most <c>capacity</c>, each record id once. A write that finds
/// the batch full, or its record already in it, is deferred to a later batch: one multi-row statement can neither
/// apply two versions of a row in order nor tell which of two writes of one id its returned row belongs to.
/// </summary>
internal sealed class RecordWriteBatch(int capacity)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly List<PendingRecordWrite> _writes = new(capacity);

    public IReadOnlyList<PendingRecordWrite> Writes => _writes;

    /// <summary>Writes offered but not taken, in the order offered.</summary>
    public List<PendingRecordWrite> Deferred { get; } = [];

    public bool IsFull => _writes.Count >= capacity;

    public void Offer(PendingRecordWrite write)
    {
        if (!IsFull && _ids.Add(write.Row.Id))
        {
            _writes.Add(write);
        }
        else
        {
            Deferred.Add(write);
        }
    }
}
