using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Npgsql;
using NpgsqlTypes;

namespace Notify.Silo.Persistence;

/// <summary>
/// The Postgres profile's record store: one <c>notify_message</c> row per message (schema script
/// <c>010_notify_messages.sql</c>). Writes from concurrent grains are group-committed: queued, batched
/// (<see cref="RecordGroupCommitOptions"/>) and applied by one multi-row statement per batch, conditional on each
/// row's version, with no read before it; each caller is answered once its batch has committed. Queries answer
/// exactly as <see cref="InMemoryMessageRecordStore"/> does.
/// </summary>
public sealed partial class PostgresMessageRecordStore : IMessageRecordStore, IAsyncDisposable
{
    /// <summary>
    /// The statuses of messages still in flight, as the predicate of the partial index
    /// <c>ix_notify_message_overdue</c> spells them: the overdue query must repeat it for the planner to use the index.
    /// </summary>
    internal const string InFlightStatusList = "'Pending', 'Sending', 'Retrying'";

    // One statement for a whole batch, inserts and updates mixed: the rows arrive as one array per column
    // (receiver keys as one flat array and each row's slice of it, since arrays cannot be ragged), so the text never
    // changes with the batch size and stays prepared. A row comes back only if it was written: an insert that met an
    // existing id or an update that met another version returns nothing, and only its own caller sees a conflict.
    private const string WriteBatchSql =
        """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[],
                                 $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::text[],
                                 $12::integer[], $13::integer[], $14::integer[], $15::integer[], $16::text[], $17::boolean[],
                                 $18::text[], $19::integer[], $20::integer[], $21::text[], $22::integer[])
                AS row(id, channel, status, source, sender, priority, created_at, updated_at, next_attempt_at,
                       completed_at, content_md5, frequency_limit_minutes, delay_seconds, attempts, retry_count,
                       last_error, possible_duplicate, request_id, keys_from, keys_to, record, expected_version)
        ),
        inserted AS (
            INSERT INTO notify_message
                (id, channel, status, source, sender, priority, created_at, updated_at, next_attempt_at, completed_at,
                 content_md5, frequency_limit_minutes, delay_seconds, attempts, retry_count, last_error,
                 possible_duplicate, request_id, receiver_keys, record, version)
            SELECT id, channel, status, source, sender, priority, created_at, updated_at, next_attempt_at, completed_at,
                   content_md5, frequency_limit_minutes, delay_seconds, attempts, retry_count, last_error,
                   possible_duplicate, request_id, ($23::text[])[keys_from:keys_to], record::jsonb, 1
            FROM input WHERE expected_version IS NULL
            ON CONFLICT (id) DO NOTHING
            RETURNING id, version
        ),
        updated AS (
            UPDATE notify_message AS m
            SET channel = i.channel, status = i.status, source = i.source, sender = i.sender, priority = i.priority,
                created_at = i.created_at, updated_at = i.updated_at, next_attempt_at = i.next_attempt_at,
                completed_at = i.completed_at, content_md5 = i.content_md5,
                frequency_limit_minutes = i.frequency_limit_minutes, delay_seconds = i.delay_seconds,
                attempts = i.attempts, retry_count = i.retry_count, last_error = i.last_error,
                possible_duplicate = i.possible_duplicate, request_id = i.request_id,
                receiver_keys = ($23::text[])[i.keys_from:i.keys_to], record = i.record::jsonb, version = m.version + 1
            FROM input AS i
            WHERE i.expected_version IS NOT NULL AND m.id = i.id AND m.version = i.expected_version
            RETURNING m.id, m.version
        )
        SELECT id, version FROM inserted UNION ALL SELECT id, version FROM updated
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresMessageRecordStore> _logger;
    private readonly RecordGroupCommitQueue _writes;
    private long _writeStatements;
    private long _recordsWritten;

    /// <param name="groupCommit">How writes are batched; the defaults of <see cref="RecordGroupCommitOptions"/> when null.</param>
    public PostgresMessageRecordStore(NpgsqlDataSource dataSource, ILogger<PostgresMessageRecordStore> logger, RecordGroupCommitOptions? groupCommit = null)
    {
        _dataSource = dataSource;
        _logger = logger;
        _writes = new RecordGroupCommitQueue(groupCommit ?? new RecordGroupCommitOptions(), FlushAsync);
    }

    /// <summary>Write statements executed and record writes they carried, since the store was created.</summary>
    public RecordWriteCounts WriteCounts => new(Interlocked.Read(ref _writeStatements), Interlocked.Read(ref _recordsWritten));

    // Oldest first along the created_at index; in-flight messages are skipped whatever their age.
    private const string DeleteFinishedSql =
        $"""
        DELETE FROM notify_message
        WHERE id IN (
            SELECT id FROM notify_message
            WHERE created_at < $1 AND status NOT IN ({InFlightStatusList})
            ORDER BY created_at
            LIMIT $2)
        """;

    // Along the partial index of rows that still have a body (011_notify_message_bodies.sql), oldest first.
    private const string DropBodiesSql =
        $$"""
        UPDATE notify_message
        SET record = jsonb_set(record, '{message,body}', '""') || jsonb_build_object('bodyDroppedAt', $2::timestamptz),
            body_dropped_at = $2, version = version + 1
        WHERE id IN (
            SELECT id FROM notify_message
            WHERE created_at < $1 AND body_dropped_at IS NULL AND status NOT IN ({{InFlightStatusList}})
            ORDER BY created_at
            LIMIT $3)
        """;

    private const string ReadSql = "SELECT record, version FROM notify_message WHERE id = $1";

    // Along the partial index of messages in flight: as cheap as the recovery pass's query.
    private const string CountInFlightSql =
        $"SELECT status, count(*) FROM notify_message WHERE status IN ({InFlightStatusList}) GROUP BY status";

    private const string OverdueSql =
        $"""
        SELECT id FROM notify_message
        WHERE status IN ({InFlightStatusList}) AND next_attempt_at < $1
        ORDER BY next_attempt_at, id
        LIMIT $2
        """;

    // List results carry a body preview. PostgreSQL cuts it to the first N code points (at least N UTF-16 units),
    // so only the preview crosses the wire; MessageRecordMatching.ForList then makes the exact cut. An open robot
    // media message's file stays behind too.
    private static readonly string ListRecordSql =
        $$"""
        (CASE WHEN length(record #>> '{message,body}') > {{IMessageRecordStore.ListBodyPreviewLength}}
             THEN jsonb_set(record, '{message,body}', to_jsonb(left(record #>> '{message,body}', {{IMessageRecordStore.ListBodyPreviewLength}})))
             ELSE record
        END) #- '{message,media,content}'
        """;

    public async Task<StoredMessageRecord?> ReadAsync(string messageId, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(ReadSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = messageId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new StoredMessageRecord(MessageRecordJson.Deserialize(reader.GetString(0)), reader.GetInt32(1))
                : null;
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "read", messageId);
        }
    }

    public Task<int> WriteAsync(MessageRecord record, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        // The row is taken now, on the caller's thread: the record as of this call is what gets written.
        var row = RecordRow.From(record);
        if (row.HoldsNul)
        {
            // PostgreSQL text and jsonb cannot hold U+0000, and Npgsql has been seen to lose its place in the protocol
            // after the server refused such a parameter: refuse it here, so it never joins a batch.
            return Task.FromException<int>(new ArgumentException($"record {record.Id} contains U+0000 (NUL), which PostgreSQL cannot store", nameof(record)));
        }

        var write = new PendingRecordWrite(row, expectedVersion);
        if (!_writes.TryEnqueue(write))
        {
            return Task.FromException<int>(new RecordStoreUnavailableException($"PostgreSQL record store is shutting down: write of record {record.Id} refused"));
        }

        // A caller that stops waiting leaves its write queued: its outcome is unknown, as with a statement cancelled mid-flight.
        return write.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Flushes the queued writes and stops taking new ones.</summary>
    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    public async Task<MessagePage> QueryAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        var errors = query.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "invalid record query: " + string.Join("; ", errors), nameof(query));
        }

        // A cursor page is a seek on (created_at, id) and never counted; numbered pages skip rows and count them.
        var filter = QueryFilter.From(query);
        var cursor = query.AfterCursor;
        if (cursor is { } after)
        {
            filter.StartAfter(after);
        }

        await using var batch = _dataSource.CreateBatch();
        if (query.CountsTotal)
        {
            var count = new NpgsqlBatchCommand($"SELECT count(*) FROM notify_message{filter.WhereClause}");
            filter.AddParametersTo(count.Parameters);
            batch.BatchCommands.Add(count);
        }

        // One row more than the page tells whether another page follows. The page's rows are chosen first by the
        // sort columns alone and only then joined to their records: skipped rows (OFFSET) never have their record
        // read and trimmed, which made a 10,000-row offset cost 100 times a first page.
        var page = new NpgsqlBatchCommand(
            $"""
            SELECT m.created_at, m.id, {ListRecordSql}
            FROM (SELECT created_at, id FROM notify_message{filter.WhereClause}
                  ORDER BY created_at DESC, id DESC
                  LIMIT ${filter.ParameterCount + 1} OFFSET ${filter.ParameterCount + 2}) AS chosen
            JOIN notify_message AS m ON m.id = chosen.id
            ORDER BY chosen.created_at DESC, chosen.id DESC
            """);
        filter.AddParametersTo(page.Parameters);
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.PageSize + 1 });
        page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cursor is null ? (query.Page - 1L) * query.PageSize : 0 });
        batch.BatchCommands.Add(page);

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            long? total = null;
            if (query.CountsTotal)
            {
                await reader.ReadAsync(cancellationToken);
                total = reader.GetInt64(0);
                await reader.NextResultAsync(cancellationToken);
            }

            var items = new List<MessageRecord>(query.PageSize);
            MessageListCursor? last = null;
            string? next = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (items.Count == query.PageSize)
                {
                    // From the columns, not the JSON: created_at holds the microseconds the seek compares with.
                    next = last?.Encode();
                    break;
                }

                last = new MessageListCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1));
                items.Add(MessageRecordMatching.ForList(MessageRecordJson.Deserialize(reader.GetString(2))));
            }

            return new MessagePage(items, total, query.Page, query.PageSize, next);
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "query", null);
        }
    }

    public async Task<int> DeleteFinishedAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(DeleteFinishedSql);
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = createdBefore.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "delete finished", null);
        }
    }

    public async Task<int> DropBodiesAsync(DateTimeOffset createdBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(DropBodiesSql);
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = createdBefore.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "drop bodies", null);
        }
    }

    public async Task<IReadOnlyDictionary<MessageStatus, long>> CountInFlightAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(CountInFlightSql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var counts = new Dictionary<MessageStatus, long>();
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[Enum.Parse<MessageStatus>(reader.GetString(0))] = reader.GetInt64(1);
            }

            return counts;
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "count in flight", null);
        }
    }

    public async Task<IReadOnlyList<string>> FindOverdueAsync(DateTimeOffset dueBefore, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        try
        {
            await using var command = _dataSource.CreateCommand(OverdueSql);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = dueBefore.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var ids = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "find overdue", null);
        }
    }

    private async Task FlushAsync(IReadOnlyList<PendingRecordWrite> writes)
    {
        try
        {
            var written = await ExecuteWriteBatchAsync(writes);
            foreach (var write in writes)
            {
                if (written.TryGetValue(write.Row.Id, out var version))
                {
                    write.Completion.TrySetResult(version);
                }
                else
                {
                    write.Completion.TrySetException(new RecordVersionConflictException(write.Row.Id, write.ExpectedVersion));
                }
            }
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            // Nothing of the batch is acknowledged: every caller learns the store is unavailable.
            LogUnavailable(_logger, exception, "write", writes.Count == 1 ? writes[0].Row.Id : $"a batch of {writes.Count} records");
            foreach (var write in writes)
            {
                write.Completion.TrySetException(UnavailableException(exception, "write", write.Row.Id));
            }
        }
        catch (Exception exception) when (writes.Count == 1)
        {
            writes[0].Completion.TrySetException(exception);
        }
        catch (Exception)
        {
            // The server refused the statement for good (a defect in one row, say): the batch was rolled back, so
            // each write is tried on its own and the error reaches only the caller whose row causes it.
            foreach (var write in writes)
            {
                await FlushAsync([write]);
            }
        }
    }

    private async Task<Dictionary<string, int>> ExecuteWriteBatchAsync(IReadOnlyList<PendingRecordWrite> writes)
    {
        await using var command = _dataSource.CreateCommand(WriteBatchSql);
        RecordRow.AddArrayParameters(command.Parameters, writes);
        var written = new Dictionary<string, int>(writes.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                written[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        Interlocked.Increment(ref _writeStatements);
        Interlocked.Add(ref _recordsWritten, writes.Count);
        return written;
    }

    // Network failures, timeouts and the server refusing work for now (shutdown, too many connections) mean "try
    // later"; any other server error is a defect and propagates as is.
    internal static bool IsUnavailable(NpgsqlException exception) => exception is not PostgresException || exception.IsTransient;

    private RecordStoreUnavailableException Unavailable(NpgsqlException exception, string operation, string? messageId)
    {
        LogUnavailable(_logger, exception, operation, messageId ?? "-");
        return UnavailableException(exception, operation, messageId);
    }

    private static RecordStoreUnavailableException UnavailableException(NpgsqlException exception, string operation, string? messageId)
    {
        var subject = messageId is null ? "" : $" of record {messageId}";
        return new RecordStoreUnavailableException($"PostgreSQL record store unavailable: {operation}{subject} failed: {exception.Message}", exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL record store unavailable during {Operation} of {MessageId}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string operation, string messageId);

    /// <summary>The WHERE clause of a record query and its positional parameters, in order.</summary>
    private sealed class QueryFilter
    {
        private readonly List<string> _conditions = [];
        private readonly List<(object Value, NpgsqlDbType Type)> _values = [];

        public string WhereClause => _conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _conditions);

        public int ParameterCount => _values.Count;

        public static QueryFilter From(MessageQuery query)
        {
            var filter = new QueryFilter();
            if (query.Channel is { } channel)
            {
                filter._conditions.Add($"channel = {filter.Parameter(channel.Name(), NpgsqlDbType.Text)}");
            }

            if (query.Status is { } status)
            {
                filter._conditions.Add($"status = {filter.Parameter(status.ToString(), NpgsqlDbType.Text)}");
            }

            if (query.Source is { } source)
            {
                filter._conditions.Add($"source = {filter.Parameter(source, NpgsqlDbType.Text)}");
            }

            if (query.From is { } from)
            {
                filter._conditions.Add($"created_at >= {filter.Parameter(from.ToUniversalTime(), NpgsqlDbType.TimestampTz)}");
            }

            if (query.To is { } to)
            {
                filter._conditions.Add($"created_at < {filter.Parameter(to.ToUniversalTime(), NpgsqlDbType.TimestampTz)}");
            }

            if (query.Receiver is { } receiver)
            {
                filter._conditions.Add(filter.ReceiverCondition(receiver, query.Channel));
            }

            return filter;
        }

        /// <summary>Only records listed after the cursor: a row comparison the <c>(created_at DESC, id DESC)</c> index answers.</summary>
        public void StartAfter(MessageListCursor cursor) =>
            _conditions.Add($"(created_at, id) < ({Parameter(cursor.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz)}, {Parameter(cursor.Id, NpgsqlDbType.Text)})");

        public void AddParametersTo(NpgsqlParameterCollection parameters)
        {
            foreach (var (value, type) in _values)
            {
                parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            }
        }

        // A record matches when its keys hold the receiver normalised for the record's own channel (e-mail
        // addresses compare lower-cased, other ids exactly), so channels that normalise the receiver alike share
        // one containment test.
        private string ReceiverCondition(string receiver, NotifyChannel? channel)
        {
            IReadOnlyList<NotifyChannel> channels = channel is { } only ? [only] : NotifyChannels.All;
            var byKey = channels.GroupBy(c => GrainKeys.NormalizeAddress(c, receiver), StringComparer.Ordinal).ToArray();
            if (byKey.Length == 1)
            {
                return $"receiver_keys @> {Parameter(new[] { byKey[0].Key }, NpgsqlDbType.Array | NpgsqlDbType.Text)}";
            }

            var alternatives = byKey.Select(group =>
                $"(channel = ANY({Parameter(group.Select(c => c.Name()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)})" +
                $" AND receiver_keys @> {Parameter(new[] { group.Key }, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
            return "(" + string.Join(" OR ", alternatives) + ")";
        }

        private string Parameter(object value, NpgsqlDbType type)
        {
            _values.Add((value, type));
            return "$" + _values.Count;
        }
    }
}

/// <summary>Write statements executed by a record store and the record writes they carried.</summary>
public readonly record struct RecordWriteCounts(long Statements, long Writes);
