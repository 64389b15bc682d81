using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Npgsql;
using NpgsqlTypes;

namespace Notify.Silo.Persistence;

/// <summary>
/// The Postgres profile's record store: one <c>notify_message</c> row per message (schema script
/// <c>010_notify_messages.sql</c>). Every write is a single statement, conditional on the version, with no read
/// before it; queries answer exactly as <see cref="InMemoryMessageRecordStore"/> does.
/// </summary>
public sealed partial class PostgresMessageRecordStore(NpgsqlDataSource dataSource, ILogger<PostgresMessageRecordStore> logger)
    : IMessageRecordStore
{
    /// <summary>
    /// The statuses of messages still in flight, as the predicate of the partial index
    /// <c>ix_notify_message_overdue</c> spells them: the overdue query must repeat it for the planner to use the index.
    /// </summary>
    internal const string InFlightStatusList = "'Pending', 'Sending', 'Retrying'";

    private const string InsertSql =
        """
        INSERT INTO notify_message
            (id, channel, status, source, sender, priority, created_at, updated_at, next_attempt_at, completed_at,
             content_md5, frequency_limit_minutes, delay_seconds, attempts, retry_count, last_error,
             possible_duplicate, request_id, receiver_keys, record, version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpdateSql =
        """
        UPDATE notify_message
        SET channel = $2, status = $3, source = $4, sender = $5, priority = $6, created_at = $7, updated_at = $8,
            next_attempt_at = $9, completed_at = $10, content_md5 = $11, frequency_limit_minutes = $12,
            delay_seconds = $13, attempts = $14, retry_count = $15, last_error = $16, possible_duplicate = $17,
            request_id = $18, receiver_keys = $19, record = $20, version = version + 1
        WHERE id = $1 AND version = $21
        """;

    private const string ReadSql = "SELECT record, version FROM notify_message WHERE id = $1";

    private const string OverdueSql =
        $"""
        SELECT id FROM notify_message
        WHERE status IN ({InFlightStatusList}) AND next_attempt_at < $1
        ORDER BY next_attempt_at, id
        LIMIT $2
        """;

    // List results carry a body preview. PostgreSQL cuts it to the first N code points (at least N UTF-16 units),
    // so only the preview crosses the wire; MessageRecordMatching.ForList then makes the exact cut.
    private static readonly string ListRecordSql =
        $$"""
        CASE WHEN length(record #>> '{message,body}') > {{IMessageRecordStore.ListBodyPreviewLength}}
             THEN jsonb_set(record, '{message,body}', to_jsonb(left(record #>> '{message,body}', {{IMessageRecordStore.ListBodyPreviewLength}})))
             ELSE record
        END
        """;

    public async Task<StoredMessageRecord?> ReadAsync(string messageId, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand(ReadSql);
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

    public async Task<int> WriteAsync(MessageRecord record, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        int written;
        try
        {
            await using var command = dataSource.CreateCommand(expectedVersion is null ? InsertSql : UpdateSql);
            AddRecordParameters(command.Parameters, record);
            if (expectedVersion is { } expected)
            {
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = expected });
            }

            written = await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "write", record.Id);
        }

        // No row: the insert met an existing id, or the update met another version (or no record at all).
        return written == 1 ? (expectedVersion ?? 0) + 1 : throw new RecordVersionConflictException(record.Id, expectedVersion);
    }

    public async Task<MessagePage> QueryAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        var errors = query.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "invalid record query: " + string.Join("; ", errors), nameof(query));
        }

        var filter = QueryFilter.From(query);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM notify_message{filter.WhereClause}");
        filter.AddParametersTo(count.Parameters);
        var page = new NpgsqlBatchCommand(
            $"""
            SELECT {ListRecordSql} FROM notify_message{filter.WhereClause}
            ORDER BY created_at DESC, id DESC
            LIMIT ${filter.ParameterCount + 1} OFFSET ${filter.ParameterCount + 2}
            """);
        filter.AddParametersTo(page.Parameters);
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.PageSize });
        page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (query.Page - 1L) * query.PageSize });

        try
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(count);
            batch.BatchCommands.Add(page);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var total = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            var items = new List<MessageRecord>(query.PageSize);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(MessageRecordMatching.ForList(MessageRecordJson.Deserialize(reader.GetString(0))));
            }

            return new MessagePage(items, total, query.Page, query.PageSize);
        }
        catch (NpgsqlException exception) when (IsUnavailable(exception))
        {
            throw Unavailable(exception, "query", null);
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
            await using var command = dataSource.CreateCommand(OverdueSql);
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

    private static void AddRecordParameters(NpgsqlParameterCollection parameters, MessageRecord record)
    {
        var message = record.Message;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Id });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Channel.Name() });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Status.ToString() });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Source });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Sender });
        parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)message.Priority });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.CreatedAt.ToUniversalTime() });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = record.UpdatedAt.ToUniversalTime() });
        parameters.Add(Nullable(record.NextAttemptAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        parameters.Add(Nullable(record.CompletedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        parameters.Add(new NpgsqlParameter<string> { TypedValue = record.ContentMd5 });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = message.FrequencyLimitMinutes });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = message.DelaySeconds });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = record.Attempts });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = record.RetryCount });
        parameters.Add(Nullable(record.LastError, NpgsqlDbType.Text));
        parameters.Add(new NpgsqlParameter<bool> { TypedValue = record.PossibleDuplicate });
        parameters.Add(Nullable(record.RequestId, NpgsqlDbType.Text));
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. MessageRecordMatching.ReceiverKeys(record)] });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = MessageRecordJson.Serialize(record), NpgsqlDbType = NpgsqlDbType.Jsonb });
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    // Network failures, timeouts and the server refusing work for now (shutdown, too many connections) mean "try
    // later"; any other server error is a defect and propagates as is.
    internal static bool IsUnavailable(NpgsqlException exception) => exception is not PostgresException || exception.IsTransient;

    private RecordStoreUnavailableException Unavailable(NpgsqlException exception, string operation, string? messageId)
    {
        LogUnavailable(logger, exception, operation, messageId ?? "-");
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
