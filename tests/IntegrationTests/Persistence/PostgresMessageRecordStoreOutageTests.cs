using Microsoft.Extensions.Logging.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Xunit;
using static Notify.IntegrationTests.Persistence.MessageRecords;

namespace Notify.IntegrationTests.Persistence;

/// <summary>The record store while its server is down: on a private server, so the shared one stays up.</summary>
public sealed class PostgresMessageRecordStoreOutageTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryOperation_ServerStopped_ThrowsUnavailableAndWorksAgainAfterRestart()
    {
        await using var server = await PostgresServer.StartLocalAsync(crashSafe: true);
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("outage", Cancellation));
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken: Cancellation);
        await using var store = new PostgresMessageRecordStore(dataSource, NullLogger<PostgresMessageRecordStore>.Instance);
        var record = New("msg_outage");
        await store.WriteAsync(record, null, Cancellation);

        await server.StopAsync();

        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.WriteAsync(record, 1, Cancellation));
        // Concurrent writers share batches: a failed batch fails every one of them, none is acknowledged.
        var concurrent = Enumerable.Range(0, 50).Select(index => New($"msg_outage_{index}")).ToArray();
        var concurrentWrites = concurrent.Select(written => store.WriteAsync(written, null, Cancellation)).ToArray();
        foreach (var write in concurrentWrites)
        {
            await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => write);
        }

        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.ReadAsync(record.Id, Cancellation));
        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.QueryAsync(new MessageQuery(), Cancellation));
        await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => store.FindOverdueAsync(Epoch.AddDays(1), 10, Cancellation));

        await server.StartAsync();

        record.Status = MessageStatus.Sent;
        Assert.Equal(2, await WriteOnceReachableAsync(store, record, expectedVersion: 1));
        Assert.Equal(MessageStatus.Sent, (await store.ReadAsync(record.Id, Cancellation))?.Record.Status);
        foreach (var written in concurrent)
        {
            Assert.Null(await store.ReadAsync(written.Id, Cancellation));
        }
    }

    // Connections pooled before the outage fail on first use, like any client's: the caller retries.
    private static async Task<int> WriteOnceReachableAsync(PostgresMessageRecordStore store, MessageRecord record, int expectedVersion)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.WriteAsync(record, expectedVersion, Cancellation);
            }
            catch (RecordStoreUnavailableException) when (attempt < 3)
            {
            }
        }
    }
}
