using Microsoft.Extensions.Options;
using Notify.Grains.Records;
using Npgsql;
using Orleans.Configuration;

namespace Notify.Silo.Persistence;

/// <summary>
/// Deletes this service's rows of one state name from <c>OrleansStorage</c> by <c>modifiedon</c>, which every write
/// sets. There is deliberately no index on <c>modifiedon</c>: it changes on every write, so an index would turn
/// each state write into a non-HOT update; the hourly pass scans instead, in bounded batches.
/// </summary>
public sealed class PostgresGrainStatePurger(NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster) : IGrainStatePurger
{
    private const string DeleteSql =
        """
        DELETE FROM orleansstorage
        WHERE ctid IN (
            SELECT ctid FROM orleansstorage
            WHERE graintypestring = $1 AND serviceid = $2 AND modifiedon < $3
            ORDER BY modifiedon
            LIMIT $4)
        """;

    public async Task<int> DeleteWrittenBeforeAsync(string stateName, DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand(DeleteSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cluster.Value.ServiceId });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = writtenBefore.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException exception) when (PostgresMessageRecordStore.IsUnavailable(exception))
        {
            throw new RecordStoreUnavailableException($"PostgreSQL is unavailable: purge of {stateName} states refused", exception);
        }
    }
}
