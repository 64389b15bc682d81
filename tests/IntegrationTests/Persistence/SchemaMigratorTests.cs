using Microsoft.Extensions.Logging.Abstractions;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Npgsql;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

public sealed class SchemaMigratorTests(PostgresServer server)
{
    /// <summary>Every key the Orleans 10.4.2 ADO.NET providers look up (orleans-facts.md §1.2–§1.4).</summary>
    private static readonly string[] OrleansQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_FreshDatabase_AppliesEveryScriptInOrder()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_fresh", Cancellation));

        var result = await Migrator(dataSource).MigrateAsync(cancellationToken: Cancellation);

        Assert.Equal(
            ["001_orleans_main.sql", "002_orleans_clustering.sql", "003_orleans_persistence.sql", "004_orleans_reminders.sql", "010_notify_messages.sql"],
            result.Applied);
        Assert.Empty(result.Unchanged);
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_StoresEveryOrleansQueryKey()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_keys", Cancellation));

        await Migrator(dataSource).MigrateAsync(cancellationToken: Cancellation);

        var keys = await ReadStringsAsync(dataSource, "SELECT QueryKey FROM OrleansQuery");
        Assert.Equal(OrleansQueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_CreatesTablesAndTheIndexesTheContractLacks()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_objects", Cancellation));

        await Migrator(dataSource).MigrateAsync(cancellationToken: Cancellation);

        var tables = await ReadStringsAsync(dataSource, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        Assert.Equal(
            ["notify_message", "notify_schema_script", "orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "orleansreminderstable", "orleansstorage"],
            tables.Order(StringComparer.Ordinal));
        var uniqueIndexes = await ReadStringsAsync(
            dataSource, "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'orleansstorage'::regclass AND indisunique");
        Assert.Equal(["ux_orleansstorage_identity"], uniqueIndexes);
        var reminderIndex = await ReadStringsAsync(
            dataSource, "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_reminderstable_serviceid_grainhash'");
        Assert.Contains("(serviceid, grainhash)", Assert.Single(reminderIndex), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_SecondRun_SkipsUnchangedScripts()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_twice", Cancellation));
        var migrator = Migrator(dataSource);
        await migrator.MigrateAsync(cancellationToken: Cancellation);

        var second = await migrator.MigrateAsync(cancellationToken: Cancellation);

        Assert.Empty(second.Applied);
        Assert.Equal(SchemaMigrator.Scripts.Count, second.Unchanged.Count);
    }

    [Fact]
    public async Task MigrateAsync_ReapplyAllOverExistingSchema_RunsEveryScriptAgainWithoutError()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_reapply", Cancellation));
        var migrator = Migrator(dataSource);
        await migrator.MigrateAsync(cancellationToken: Cancellation);

        var again = await migrator.MigrateAsync(reapplyAll: true, Cancellation);

        Assert.Equal(SchemaMigrator.Scripts.Count, again.Applied.Count);
        Assert.Equal(OrleansQueryKeys.Length, (await ReadStringsAsync(dataSource, "SELECT QueryKey FROM OrleansQuery")).Count);
    }

    [Fact]
    public async Task MigrateAsync_TwoMigratorsAtOnceOnFreshDatabase_OneAppliesTheOtherFindsItDone()
    {
        var connectionString = await server.CreateDatabaseAsync("migrate_race", Cancellation);
        await using var first = NotifyPostgresDataSource.Create(connectionString);
        await using var second = NotifyPostgresDataSource.Create(connectionString);

        var results = await Task.WhenAll(
            Migrator(first).MigrateAsync(cancellationToken: Cancellation),
            Migrator(second).MigrateAsync(cancellationToken: Cancellation));

        Assert.Equal(SchemaMigrator.Scripts.Count, results.Sum(result => result.Applied.Count));
        Assert.Contains(results, result => result.Applied.Count == SchemaMigrator.Scripts.Count);
    }

    [Fact]
    public async Task MigrateAsync_TwoMigratorsReapplyingAtOnce_BothSucceed()
    {
        var connectionString = await server.CreateDatabaseAsync("migrate_race_reapply", Cancellation);
        await using var first = NotifyPostgresDataSource.Create(connectionString);
        await using var second = NotifyPostgresDataSource.Create(connectionString);
        await Migrator(first).MigrateAsync(cancellationToken: Cancellation);

        var results = await Task.WhenAll(
            Migrator(first).MigrateAsync(reapplyAll: true, Cancellation),
            Migrator(second).MigrateAsync(reapplyAll: true, Cancellation));

        Assert.All(results, result => Assert.Equal(SchemaMigrator.Scripts.Count, result.Applied.Count));
    }

    private static SchemaMigrator Migrator(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<SchemaMigrator>.Instance);

    private static async Task<List<string>> ReadStringsAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Cancellation);
        var values = new List<string>();
        while (await reader.ReadAsync(Cancellation))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
