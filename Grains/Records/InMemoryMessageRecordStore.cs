using System.Collections.Concurrent;
using Notify.Grains.Abstractions.Records;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Notify.Grains.Records;

/// <summary>
/// The embedded profile's record store: process memory, same contract as the PostgreSQL store. Bounded by age (the
/// retention pass) and by count: once it holds more than <see cref="RecordRetentionOptions.EmbeddedMaxRecords"/>,
/// an insert starts a trim that drops the oldest finished records down to nine tenths of it, off the caller's path.
/// </summary>
public sealed class InMemoryMessageRecordStore(DeepCopier copier, IOptions<RecordRetentionOptions>? retention = null) : IMessageRecordStore
{
    private readonly ConcurrentDictionary<string, StoredMessageRecord> _records = new(StringComparer.Ordinal);
    private readonly int _maxRecords = (retention?.Value ?? new RecordRetentionOptions()).EmbeddedMaxRecords;
    private int _trimming;

    /// <summary>The trim in progress, if any (tests wait for it).</summary>
    public Task Trimmed { get; private set; } = Task.CompletedTask;

    public Task<StoredMessageRecord?> ReadAsync(string messageId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryGetValue(messageId, out var stored) ? stored with { Record = copier.Copy(stored.Record) } : null);

    public Task<int> WriteAsync(MessageRecord record, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        var copy = copier.Copy(record);
        if (expectedVersion is not { } expected)
        {
            if (!_records.TryAdd(record.Id, new StoredMessageRecord(copy, 1)))
            {
                throw new RecordVersionConflictException(record.Id, null);
            }

            if (_records.Count > _maxRecords && Interlocked.Exchange(ref _trimming, 1) == 0)
            {
                Trimmed = Task.Run(Trim);
            }

            return Task.FromResult(1);
        }

        if (!_records.TryGetValue(record.Id, out var current) || current.Version != expected ||
            !_records.TryUpdate(record.Id, new StoredMessageRecord(copy, expected + 1), current))
        {
            throw new RecordVersionConflictException(record.Id, expected);
        }

        return Task.FromResult(expected + 1);
    }

    private void Trim()
    {
        try
        {
            var excess = _records.Count - _maxRecords * 9 / 10;
            var oldest = _records.Values
                .Where(stored => stored.Record.Status.IsFinal())
                .OrderBy(stored => stored.Record.CreatedAt)
                .Take(Math.Max(0, excess))
                .ToArray();
            foreach (var stored in oldest)
            {
                // Only the version looked at: a record rewritten meanwhile stays.
                _records.TryRemove(new KeyValuePair<string, StoredMessageRecord>(stored.Record.Id, stored));
            }
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    public Task<MessagePage> QueryAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        var matches = _records.Values
            .Select(stored => stored.Record)
            .Where(r => query.Channel is not { } channel || r.Channel == channel)
            .Where(r => query.Status is not { } status || r.Status == status)
            .Where(r => query.Source is not { } source || string.Equals(r.Message.Source, source, StringComparison.Ordinal))
            .Where(r => query.From is not { } from || r.CreatedAt >= from)
            .Where(r => query.To is not { } to || r.CreatedAt < to)
            .Where(r => query.Receiver is not { } receiver || MessageRecordMatching.NamesReceiver(r, receiver))
            .OrderByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();

        var after = query.AfterCursor;
        var listed = after is { } cursor
            ? matches.Where(r => cursor.Precedes(r.CreatedAt, r.Id))
            : matches.Skip((query.Page - 1) * query.PageSize);
        var window = listed.Take(query.PageSize + 1).ToList();
        var page = window
            .Take(query.PageSize)
            .Select(r => MessageRecordMatching.ForList(copier.Copy(r)))
            .ToArray();
        var next = window.Count > query.PageSize ? new MessageListCursor(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return Task.FromResult(new MessagePage(page, query.CountsTotal ? matches.Count : null, query.Page, query.PageSize, next));
    }

    public Task<int> DeleteFinishedAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        var expired = _records.Values
            .Where(stored => stored.Record.Status.IsFinal() && stored.Record.CreatedAt < createdBefore)
            .OrderBy(stored => stored.Record.CreatedAt)
            .Take(limit)
            .ToArray();
        // Only the version looked at: a record rewritten meanwhile is not deleted.
        return Task.FromResult(expired.Count(stored => _records.TryRemove(new KeyValuePair<string, StoredMessageRecord>(stored.Record.Id, stored))));
    }

    public Task<int> DropBodiesAsync(DateTimeOffset createdBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var due = _records.Values
            .Where(stored => stored.Record.Status.IsFinal() && stored.Record.CreatedAt < createdBefore && stored.Record.BodyDroppedAt is null)
            .OrderBy(stored => stored.Record.CreatedAt)
            .Take(limit)
            .ToArray();
        var dropped = 0;
        foreach (var stored in due)
        {
            var copy = copier.Copy(stored.Record);
            copy.Message = copy.Message with { Body = "" };
            copy.BodyDroppedAt = now;
            // Only the version looked at: a record rewritten meanwhile keeps its body until the next pass.
            if (_records.TryUpdate(copy.Id, new StoredMessageRecord(copy, stored.Version + 1), stored))
            {
                dropped++;
            }
        }

        return Task.FromResult(dropped);
    }

    public Task<IReadOnlyDictionary<MessageStatus, long>> CountInFlightAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<MessageStatus, long>>(_records.Values
            .Where(stored => !stored.Record.Status.IsFinal())
            .GroupBy(stored => stored.Record.Status)
            .ToDictionary(g => g.Key, g => (long)g.Count()));

    public Task<IReadOnlyList<string>> FindOverdueAsync(DateTimeOffset dueBefore, int limit, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> ids = _records.Values
            .Select(stored => stored.Record)
            .Where(r => !r.Status.IsFinal() && r.NextAttemptAt is { } next && next < dueBefore)
            .OrderBy(r => r.NextAttemptAt)
            .Take(limit)
            .Select(r => r.Id)
            .ToArray();
        return Task.FromResult(ids);
    }
}
