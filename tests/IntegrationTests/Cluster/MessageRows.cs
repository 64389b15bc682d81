using Notify.Grains.Abstractions.Records;
using Notify.Silo.Persistence;
using Npgsql;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// The send records as PostgreSQL holds them (<c>notify_message</c>), read straight from the table: reading them
/// through grains would activate message grains and wake them, which the failover tests must not do.
/// </summary>
internal static class MessageRows
{
    public static async Task<IReadOnlyDictionary<string, MessageRecord>> ReadAllAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT record FROM notify_message", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new Dictionary<string, MessageRecord>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = MessageRecordJson.Deserialize(reader.GetString(0));
            records[record.Id] = record;
        }

        return records;
    }

    /// <summary>Waits until every one of <paramref name="ids"/> has a final record; fails listing the ones that do not.</summary>
    public static async Task<IReadOnlyDictionary<string, MessageRecord>> WaitUntilFinalAsync(
        string connectionString, IReadOnlyCollection<string> ids, TimeSpan timeout, Func<string> context, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var records = await ReadAllAsync(connectionString, cancellationToken);
            var open = ids.Where(id => !records.TryGetValue(id, out var record) || !record.Status.IsFinal()).ToList();
            if (open.Count == 0)
            {
                return records;
            }

            if (DateTime.UtcNow > deadline)
            {
                var sample = open.Take(10).Select(id => records.TryGetValue(id, out var r)
                    ? $"{id}: {r.Status}, attempts {r.Attempts}, next {r.NextAttemptAt:HH:mm:ss.fff}, journal {r.AttemptStartedAt:HH:mm:ss.fff}, {r.LastError}"
                    : $"{id}: NO RECORD");
                throw new TimeoutException(
                    $"{open.Count} of {ids.Count} accepted messages not final within {timeout}:\n{string.Join('\n', sample)}\n{context()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}
