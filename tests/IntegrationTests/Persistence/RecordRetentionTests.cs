using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Records;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Xunit;
using static Notify.IntegrationTests.Persistence.MessageRecords;

namespace Notify.IntegrationTests.Persistence;

/// <summary>Retention passes over back-dated records, the same on the PostgreSQL store and the embedded one.</summary>
public sealed class RecordRetentionTests(PostgresServer server)
{
    private static readonly DateTimeOffset Cutoff = Epoch.AddDays(-30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string> Stores => ["postgres", "embedded"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeleteExpired_OldFinishedRecordsInSmallBatches_DeletesOnlyThoseAndKeepsInFlightAndRecentOnes(string kind)
    {
        await using var stores = await NewStoreAsync(kind);
        var store = stores.Store;
        var oldFinished = Enumerable.Range(0, 5)
            .Select(index => New($"msg_old_{index}", createdAt: Cutoff.AddDays(-1 - index), status: index % 2 == 0 ? MessageStatus.Sent : MessageStatus.Failed))
            .ToArray();
        var oldInFlight = New("msg_old_retrying", createdAt: Cutoff.AddDays(-3), status: MessageStatus.Retrying);
        var recentFinished = New("msg_recent", createdAt: Cutoff.AddMinutes(1), status: MessageStatus.Sent);
        foreach (var record in oldFinished.Append(oldInFlight).Append(recentFinished))
        {
            await store.WriteAsync(record, null, Cancellation);
        }

        var firstPass = await RecordRetentionGrain.DeleteExpiredAsync(store, Cutoff, batchSize: 2, maxBatches: 2);
        var secondPass = await RecordRetentionGrain.DeleteExpiredAsync(store, Cutoff, batchSize: 2, maxBatches: 2);
        var thirdPass = await RecordRetentionGrain.DeleteExpiredAsync(store, Cutoff, batchSize: 2, maxBatches: 2);

        Assert.Equal((4, 1, 0), (firstPass, secondPass, thirdPass));
        Assert.Equal(["msg_recent", "msg_old_retrying"], (await store.QueryAsync(new MessageQuery(), Cancellation)).Items.Select(item => item.Id));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeleteFinished_OldestFirst_StopsAtTheLimit(string kind)
    {
        await using var stores = await NewStoreAsync(kind);
        var store = stores.Store;
        foreach (var days in new[] { 2, 5, 3 })
        {
            await store.WriteAsync(New($"msg_{days}_days", createdAt: Cutoff.AddDays(-days), status: MessageStatus.Sent), null, Cancellation);
        }

        Assert.Equal(2, await store.DeleteFinishedAsync(Cutoff, 2, Cancellation));
        Assert.Equal(["msg_2_days"], (await store.QueryAsync(new MessageQuery(), Cancellation)).Items.Select(item => item.Id));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DropBodies_OldFinishedRecords_EmptiesTheirBodiesOnceAndKeepsRowsInFlightAndRecentBodies(string kind)
    {
        await using var stores = await NewStoreAsync(kind);
        var store = stores.Store;
        var now = Epoch.AddMinutes(5);
        foreach (var days in new[] { 2, 5, 3 })
        {
            await store.WriteAsync(New($"msg_{days}_days", createdAt: Cutoff.AddDays(-days), status: MessageStatus.Failed), null, Cancellation);
        }

        await store.WriteAsync(New("msg_old_retrying", createdAt: Cutoff.AddDays(-4), status: MessageStatus.Retrying), null, Cancellation);
        await store.WriteAsync(New("msg_recent", createdAt: Cutoff.AddMinutes(1), status: MessageStatus.Sent), null, Cancellation);

        var passes = new List<int>();
        for (var pass = 0; pass < 3; pass++)
        {
            passes.Add(await RecordRetentionGrain.DropBodiesAsync(store, Cutoff, now, batchSize: 2, maxBatches: 1));
        }

        Assert.Equal([2, 1, 0], passes);
        foreach (var id in new[] { "msg_2_days", "msg_3_days", "msg_5_days" })
        {
            var stored = (await store.ReadAsync(id, Cancellation))!;
            Assert.Equal(("", now, MessageStatus.Failed, "Pipeline p1"), (stored.Record.Message.Body, stored.Record.BodyDroppedAt, stored.Record.Status, stored.Record.Message.Title));
            Assert.Equal(2, stored.Version);
        }

        foreach (var id in new[] { "msg_old_retrying", "msg_recent" })
        {
            var record = (await store.ReadAsync(id, Cancellation))!.Record;
            Assert.Equal(("build 42 failed", (DateTimeOffset?)null), (record.Message.Body, record.BodyDroppedAt));
        }
    }

    [Fact]
    public async Task EmbeddedStore_PastItsCount_DropsTheOldestFinishedRecordsAndKeepsInFlightOnes()
    {
        var store = new InMemoryMessageRecordStore(
            new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>(),
            Options.Create(new RecordRetentionOptions { EmbeddedMaxRecords = 1_000 }));
        await store.WriteAsync(New("msg_oldest_in_flight", createdAt: Cutoff.AddDays(-10), status: MessageStatus.Retrying), null, Cancellation);
        for (var index = 0; index < 1_000; index++)
        {
            await store.WriteAsync(New($"msg_{index:D4}", createdAt: Cutoff.AddMinutes(index), status: MessageStatus.Sent), null, Cancellation);
        }

        await store.Trimmed;

        var left = (await store.QueryAsync(new MessageQuery { PageSize = MessageQuery.MaxPageSize }, Cancellation)).Total;
        Assert.Equal(900, left);
        Assert.NotNull(await store.ReadAsync("msg_oldest_in_flight", Cancellation));
        Assert.Null(await store.ReadAsync("msg_0099", Cancellation));
        Assert.NotNull(await store.ReadAsync("msg_0101", Cancellation));
    }

    private async Task<StoreUnderTest> NewStoreAsync(string kind)
    {
        if (kind == "embedded")
        {
            return new StoreUnderTest(NewInMemoryStore(), null);
        }

        var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("retention", Cancellation));
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken: Cancellation);
        return new StoreUnderTest(new PostgresMessageRecordStore(dataSource, NullLogger<PostgresMessageRecordStore>.Instance), dataSource);
    }

    private sealed record StoreUnderTest(IMessageRecordStore Store, Npgsql.NpgsqlDataSource? DataSource) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }

            if (DataSource is not null)
            {
                await DataSource.DisposeAsync();
            }
        }
    }
}
