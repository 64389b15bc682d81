using Microsoft.Extensions.Logging.Abstractions;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Npgsql;
using Xunit;
using static Notify.IntegrationTests.Persistence.MessageRecords;

namespace Notify.IntegrationTests.Persistence;

/// <summary>
/// Group commit in the PostgreSQL record store. To know what went into which batch, a test holds a row lock that
/// the store's only flush slot waits on, queues the writes behind it, then lets go: the queued writes then leave in
/// full batches, whatever the machine's speed.
/// </summary>
public sealed class PostgresGroupCommitTests(MigratedPostgresDatabase database) : IClassFixture<MigratedPostgresDatabase>
{
    private static readonly RecordGroupCommitOptions OneFlushAtATime = new() { MaxBatchSize = 64, MaxConcurrentFlushes = 1 };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteAsync_ManyConcurrentInserts_GoOutInFullBatchesAndEachIsAcknowledgedWithVersionOne()
    {
        await using var store = NewStore(OneFlushAtATime);
        await using var blocked = await BlockFlushingAsync(store);
        var before = store.WriteCounts;
        var records = Enumerable.Range(0, 200).Select(_ => New(GrainKeys.NewMessageId())).ToArray();

        var writes = records.Select(record => store.WriteAsync(record, null, Cancellation)).ToArray();
        await blocked.ReleaseAsync();
        var versions = await Task.WhenAll(writes);

        Assert.All(versions, version => Assert.Equal(1, version));
        // The blocked batch, then 200 queued writes in batches of 64: 64, 64, 64, 8.
        Assert.Equal((1 + 4, 1 + 200), (store.WriteCounts.Statements - before.Statements, store.WriteCounts.Writes - before.Writes));
        foreach (var record in records)
        {
            Assert.Equal(1, (await store.ReadAsync(record.Id, Cancellation))?.Version);
        }
    }

    [Fact]
    public async Task WriteAsync_BatchWithStaleVersionsAndDuplicateInsert_FailsOnlyThoseCallersWithConflict()
    {
        await using var store = NewStore(OneFlushAtATime);
        var records = Enumerable.Range(0, 6).Select(_ => New(GrainKeys.NewMessageId())).ToArray();
        foreach (var record in records)
        {
            await store.WriteAsync(record, null, Cancellation);
        }

        await using var blocked = await BlockFlushingAsync(store);
        var statementsBefore = store.WriteCounts.Statements;
        foreach (var record in records)
        {
            record.Status = MessageStatus.Sent;
        }

        var current = records[..3].Select(record => store.WriteAsync(record, 1, Cancellation)).ToArray();
        var stale = store.WriteAsync(records[3], 7, Cancellation);
        var unknown = store.WriteAsync(New(GrainKeys.NewMessageId()), 1, Cancellation);
        var existingInsert = store.WriteAsync(records[4], null, Cancellation);
        var fresh = New(GrainKeys.NewMessageId());
        var insert = store.WriteAsync(fresh, null, Cancellation);
        await blocked.ReleaseAsync();

        Assert.Equal(new[] { 2, 2, 2 }, await Task.WhenAll(current));
        Assert.Equal(1, await insert);
        await Assert.ThrowsAsync<RecordVersionConflictException>(() => stale);
        await Assert.ThrowsAsync<RecordVersionConflictException>(() => unknown);
        await Assert.ThrowsAsync<RecordVersionConflictException>(() => existingInsert);
        // The blocked write's statement, then one for all seven.
        Assert.Equal(statementsBefore + 2, store.WriteCounts.Statements);
        Assert.Equal((MessageStatus.Sent, 2), await StatusAndVersionAsync(store, records[0].Id));
        Assert.Equal((MessageStatus.Pending, 1), await StatusAndVersionAsync(store, records[3].Id));
        Assert.Equal((MessageStatus.Pending, 1), await StatusAndVersionAsync(store, records[4].Id));
        Assert.Equal((MessageStatus.Pending, 1), await StatusAndVersionAsync(store, fresh.Id));
    }

    [Fact]
    public async Task WriteAsync_TwoWritesOfOneRecordQueuedTogether_GoInSeparateBatches()
    {
        await using var store = NewStore(OneFlushAtATime);
        var record = New(GrainKeys.NewMessageId());
        await using var blocked = await BlockFlushingAsync(store);
        var statementsBefore = store.WriteCounts.Statements;

        var first = store.WriteAsync(record, null, Cancellation);
        var second = store.WriteAsync(record, null, Cancellation);
        await blocked.ReleaseAsync();

        Assert.Equal(1, await first);
        await Assert.ThrowsAsync<RecordVersionConflictException>(() => second);
        Assert.Equal(statementsBefore + 1 + 2, store.WriteCounts.Statements);
    }

    [Fact]
    public async Task WriteAsync_RecordHoldingNul_RefusedBeforeItsBatchWhichCommitsTheOthers()
    {
        await using var store = NewStore(OneFlushAtATime);
        await using var blocked = await BlockFlushingAsync(store);
        var statementsBefore = store.WriteCounts.Statements;
        var good = Enumerable.Range(0, 5).Select(_ => New(GrainKeys.NewMessageId())).ToArray();
        // PostgreSQL text cannot hold U+0000.
        var poisoned = New(GrainKeys.NewMessageId(), source: "ci\0");

        var goodWrites = good.Select(record => store.WriteAsync(record, null, Cancellation)).ToArray();
        var poisonedWrite = store.WriteAsync(poisoned, null, Cancellation);
        await blocked.ReleaseAsync();

        Assert.Equal(new[] { 1, 1, 1, 1, 1 }, await Task.WhenAll(goodWrites));
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => poisonedWrite);
        Assert.Contains("U+0000", refused.Message, StringComparison.Ordinal);
        Assert.Null(await store.ReadAsync(poisoned.Id, Cancellation));
        Assert.Equal(statementsBefore + 1 + 1, store.WriteCounts.Statements);
    }

    [Fact]
    public async Task WriteAsync_AfterDispose_ThrowsUnavailable()
    {
        var store = NewStore(OneFlushAtATime);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.WriteAsync(New(GrainKeys.NewMessageId()), null, Cancellation));
    }

    private PostgresMessageRecordStore NewStore(RecordGroupCommitOptions options) =>
        new(database.DataSource, NullLogger<PostgresMessageRecordStore>.Instance, options);

    private static async Task<(MessageStatus, int)?> StatusAndVersionAsync(PostgresMessageRecordStore store, string id) =>
        await store.ReadAsync(id, Cancellation) is { } stored ? (stored.Record.Status, stored.Version) : null;

    /// <summary>
    /// Locks a row, sends a write of it through the store and waits until that write's statement waits for the
    /// lock: the store's flush slot is taken until <see cref="BlockedFlush.ReleaseAsync"/>.
    /// </summary>
    private async Task<BlockedFlush> BlockFlushingAsync(PostgresMessageRecordStore store)
    {
        var record = New(GrainKeys.NewMessageId());
        await store.WriteAsync(record, null, Cancellation);
        var statementsBefore = store.WriteCounts.Statements;
        var connection = await database.DataSource.OpenConnectionAsync(Cancellation);
        var transaction = await connection.BeginTransactionAsync(Cancellation);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM notify_message WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Id });
            await lockRow.ExecuteScalarAsync(Cancellation);
        }

        var blockedWrite = store.WriteAsync(record, 1, Cancellation);
        // From another connection: inside a transaction, pg_stat_activity answers from a snapshot taken once.
        await using (var waiting = database.DataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%notify_message%' AND datname = current_database()"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((long)(await waiting.ExecuteScalarAsync(Cancellation))! == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the store's write never reached the locked row");
                await Task.Delay(20, Cancellation);
            }
        }

        Assert.Equal(statementsBefore, store.WriteCounts.Statements);
        return new BlockedFlush(connection, transaction, blockedWrite);
    }

    private sealed class BlockedFlush(NpgsqlConnection connection, NpgsqlTransaction transaction, Task<int> blockedWrite) : IAsyncDisposable
    {
        public async Task ReleaseAsync()
        {
            await transaction.RollbackAsync(Cancellation);
            Assert.Equal(2, await blockedWrite);
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
