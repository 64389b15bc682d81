using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Npgsql;
using NpgsqlTypes;

namespace Notify.Silo.Persistence;

/// <summary>One record write waiting for its batch: the row to write, the version it expects, and its caller's answer.</summary>
internal sealed class PendingRecordWrite(RecordRow row, int? expectedVersion)
{
    public RecordRow Row { get; } = row;

    /// <summary>Null for an insert.</summary>
    public int? ExpectedVersion { get; } = expectedVersion;

    /// <summary>The new version once the batch commits; continuations run off the flushing thread.</summary>
    public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The <c>notify_message</c> column values of one record.</summary>
internal sealed record RecordRow(
    string Id,
    string Channel,
    string Status,
    string Source,
    string Sender,
    short Priority,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? NextAttemptAt,
    DateTime? CompletedAt,
    string ContentMd5,
    int FrequencyLimitMinutes,
    int DelaySeconds,
    int Attempts,
    int RetryCount,
    string? LastError,
    bool PossibleDuplicate,
    string? RequestId,
    IReadOnlyList<string> ReceiverKeys,
    string RecordJson)
{
    public static RecordRow From(MessageRecord record)
    {
        var message = record.Message;
        return new RecordRow(
            record.Id,
            record.Channel.Name(),
            record.Status.ToString(),
            message.Source,
            message.Sender,
            (short)message.Priority,
            record.CreatedAt.UtcDateTime,
            record.UpdatedAt.UtcDateTime,
            record.NextAttemptAt?.UtcDateTime,
            record.CompletedAt?.UtcDateTime,
            record.ContentMd5,
            message.FrequencyLimitMinutes,
            message.DelaySeconds,
            record.Attempts,
            record.RetryCount,
            record.LastError,
            record.PossibleDuplicate,
            record.RequestId,
            [.. MessageRecordMatching.ReceiverKeys(record)],
            MessageRecordJson.Serialize(record));
    }

    /// <summary>Whether the record holds U+0000 anywhere: its JSON carries every text column and writes it as <c>\u0000</c>.</summary>
    public bool HoldsNul => RecordJson.Contains("\\u0000", StringComparison.Ordinal);

    /// <summary>
    /// The parameters of the batch write statement, in its order: one array per column, then each row's 1-based
    /// slice bounds into one flat array of every row's receiver keys, the JSON, the expected versions and that flat array.
    /// </summary>
    public static void AddArrayParameters(NpgsqlParameterCollection parameters, IReadOnlyList<PendingRecordWrite> writes)
    {
        var rows = writes.Select(write => write.Row).ToArray();
        var keysFrom = new int[rows.Length];
        var keysTo = new int[rows.Length];
        var keys = new List<string>();
        for (var index = 0; index < rows.Length; index++)
        {
            keysFrom[index] = keys.Count + 1;
            keys.AddRange(rows[index].ReceiverKeys);
            keysTo[index] = keys.Count;
        }

        Add(parameters, rows.Select(row => row.Id).ToArray());
        Add(parameters, rows.Select(row => row.Channel).ToArray());
        Add(parameters, rows.Select(row => row.Status).ToArray());
        Add(parameters, rows.Select(row => row.Source).ToArray());
        Add(parameters, rows.Select(row => row.Sender).ToArray());
        Add(parameters, rows.Select(row => row.Priority).ToArray());
        Add(parameters, rows.Select(row => row.CreatedAt).ToArray());
        Add(parameters, rows.Select(row => row.UpdatedAt).ToArray());
        AddNullable(parameters, rows.Select(row => row.NextAttemptAt).ToArray(), NpgsqlDbType.TimestampTz);
        AddNullable(parameters, rows.Select(row => row.CompletedAt).ToArray(), NpgsqlDbType.TimestampTz);
        Add(parameters, rows.Select(row => row.ContentMd5).ToArray());
        Add(parameters, rows.Select(row => row.FrequencyLimitMinutes).ToArray());
        Add(parameters, rows.Select(row => row.DelaySeconds).ToArray());
        Add(parameters, rows.Select(row => row.Attempts).ToArray());
        Add(parameters, rows.Select(row => row.RetryCount).ToArray());
        AddNullable(parameters, rows.Select(row => row.LastError).ToArray(), NpgsqlDbType.Text);
        Add(parameters, rows.Select(row => row.PossibleDuplicate).ToArray());
        AddNullable(parameters, rows.Select(row => row.RequestId).ToArray(), NpgsqlDbType.Text);
        Add(parameters, keysFrom);
        Add(parameters, keysTo);
        Add(parameters, rows.Select(row => row.RecordJson).ToArray());
        AddNullable(parameters, writes.Select(write => write.ExpectedVersion).ToArray(), NpgsqlDbType.Integer);
        Add(parameters, keys.ToArray());
    }

    private static void Add<T>(NpgsqlParameterCollection parameters, T[] values) =>
        parameters.Add(new NpgsqlParameter<T[]> { TypedValue = values });

    private static void AddNullable<T>(NpgsqlParameterCollection parameters, T[] values, NpgsqlDbType elementType) =>
        parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType });
}
