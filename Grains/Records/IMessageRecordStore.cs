using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Records;

/// <summary>
/// Durable home of send records: the state of every <c>MessageGrain</c> and what the record queries read.
/// One write per state transition, guarded by a version (the grain's ETag).
/// </summary>
public interface IMessageRecordStore
{
    /// <summary>The record and its version, or null when no message has that id.</summary>
    Task<StoredMessageRecord?> ReadAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts (<paramref name="expectedVersion"/> null) or replaces the record whose stored version equals
    /// <paramref name="expectedVersion"/>; returns the new version. Throws <see cref="RecordVersionConflictException"/>
    /// when the stored version differs (or the row exists on insert), <see cref="RecordStoreUnavailableException"/>
    /// when the store cannot be reached.
    /// </summary>
    Task<int> WriteAsync(MessageRecord record, int? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page, newest first. A receiver filter matches the receiver as written or the address it resolved to.
    /// List items carry the message body cut to <see cref="ListBodyPreviewLength"/> characters.
    /// </summary>
    Task<MessagePage> QueryAsync(MessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>Ids of messages not final whose <see cref="MessageRecord.NextAttemptAt"/> is before <paramref name="dueBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> FindOverdueAsync(DateTimeOffset dueBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> final records created before <paramref name="createdBefore"/>, oldest
    /// first; returns how many it deleted. Messages still in flight are kept whatever their age.
    /// </summary>
    Task<int> DeleteFinishedAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Empties the body of up to <paramref name="limit"/> final records created before <paramref name="createdBefore"/>
    /// whose body is still there, oldest first, stamping <see cref="MessageRecord.BodyDroppedAt"/> with
    /// <paramref name="now"/>; returns how many it changed. Messages still in flight keep their body whatever their age.
    /// </summary>
    Task<int> DropBodiesAsync(DateTimeOffset createdBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many messages are not final, by status (Pending, Sending, Retrying): the pending-messages gauge.</summary>
    Task<IReadOnlyDictionary<MessageStatus, long>> CountInFlightAsync(CancellationToken cancellationToken = default);

    public const int ListBodyPreviewLength = 512;
}

public sealed record StoredMessageRecord(MessageRecord Record, int Version);

/// <summary>Another activation wrote the record first: this activation's copy is stale.</summary>
public sealed class RecordVersionConflictException(string messageId, int? expected)
    : Exception($"record {messageId} changed underneath this activation (expected version {expected?.ToString() ?? "none"})");

/// <summary>The store could not take the read or write (database down, timeout).</summary>
public sealed class RecordStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
