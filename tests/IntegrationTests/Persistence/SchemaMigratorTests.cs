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

        var result = await Migrator(dataSource).MigrateAsync(Cancellation);

        Assert.Equal(
            ["001_orleans_main.sql", "002_orleans_clustering.sql", "003_orleans_persistence.sql", "004_orleans_reminders.sql", "010_notify_messages.sql", "011_notify_message_bodies.sql"],
            result.Applied);
        Assert.Empty(result.Unchanged);
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_StoresEveryOrleansQueryKey()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_keys", Cancellation));

        await Migrator(dataSource).MigrateAsync(Cancellation);

        var keys = await ReadStringsAsync(dataSource, "SELECT QueryKey FROM OrleansQuery");
        Assert.Equal(OrleansQueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_CreatesTablesAndTheIndexesTheContractLacks()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_objects", Cancellation));

        await Migrator(dataSource).MigrateAsync(Cancellation);

        var tables = await ReadStringsAsync(dataSource, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        Assert.Equal(
            ["notify_message", "notify_schema_version", "orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "orleansreminderstable", "orleansstorage"],
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
        await migrator.MigrateAsync(Cancellation);

        var second = await migrator.MigrateAsync(Cancellation);

        Assert.Empty(second.Applied);
        Assert.Equal(SchemaMigrator.Scripts.Count, second.Unchanged.Count);
    }

    [Fact]
    public async Task MigrateAsync_TwoMigratorsAtOnceOnFreshDatabase_OneAppliesTheOtherFindsItDone()
    {
        var connectionString = await server.CreateDatabaseAsync("migrate_race", Cancellation);
        await using var first = NotifyPostgresDataSource.Create(connectionString);
        await using var second = NotifyPostgresDataSource.Create(connectionString);

        var results = await Task.WhenAll(
            Migrator(first).MigrateAsync(Cancellation),
            Migrator(second).MigrateAsync(Cancellation));

        Assert.Equal(SchemaMigrator.Scripts.Count, results.Sum(result => result.Applied.Count));
        Assert.Contains(results, result => result.Applied.Count == SchemaMigrator.Scripts.Count);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseOfAnOlderRelease_AppliesOnlyTheNewScriptsAndRecordsEveryVersion()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_old_release", Cancellation));
        await Migrator(dataSource, SchemaMigrator.Scripts.SkipLast(1).ToList()).MigrateAsync(Cancellation);

        var upgrade = await Migrator(dataSource).MigrateAsync(Cancellation);

        Assert.Equal([SchemaMigrator.Scripts[^1].Name], upgrade.Applied);
        var versions = await ReadStringsAsync(dataSource, "SELECT version::text || ' ' || name FROM notify_schema_version ORDER BY version");
        Assert.Equal(SchemaMigrator.Scripts.Select(script => $"{script.Version} {script.Name}"), versions);
        await Migrator(dataSource).VerifyAsync(Cancellation);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseUpgradedByANewerRelease_IsRefusedAndLeftAsItIs()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_newer", Cancellation));
        var newer = SchemaMigrator.Scripts.Append(SchemaScript.Create("999_later_release.sql", "CREATE TABLE later_release (id integer)")).ToList();
        await Migrator(dataSource, newer).MigrateAsync(Cancellation);

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource).MigrateAsync(Cancellation));

        Assert.Contains("at version 999 (999_later_release.sql), newer than this silo knows", refused.Message, StringComparison.Ordinal);
        Assert.Contains("cannot go backwards", refused.Message, StringComparison.Ordinal);
        Assert.Equal(newer.Count, (await ReadStringsAsync(dataSource, "SELECT name FROM notify_schema_version")).Count);
        await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource).VerifyAsync(Cancellation));
    }

    [Fact]
    public async Task MigrateAsync_AppliedScriptEditedSince_IsRefusedNamingTheScriptAndNotRunAgain()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_edited", Cancellation));
        await Migrator(dataSource).MigrateAsync(Cancellation);
        var last = SchemaMigrator.Scripts[^1];
        var edited = SchemaMigrator.Scripts.SkipLast(1)
            .Append(SchemaScript.Create(last.Name, last.Text + "\nCREATE TABLE edited_after_apply (id integer);"))
            .ToList();

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource, edited).MigrateAsync(Cancellation));

        Assert.Contains($"schema script {last.Name} was changed after it was applied", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await ReadStringsAsync(dataSource, "SELECT tablename FROM pg_tables WHERE tablename = 'edited_after_apply'"));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseSetUpBeforeVersions_IsAdoptedRunningOnlyTheScriptChangedSince()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("migrate_legacy", Cancellation));
        await Migrator(dataSource).MigrateAsync(Cancellation);
        var changedSince = SchemaMigrator.Scripts[^1];
        await ExecuteAsync(
            dataSource,
            "DROP TABLE notify_schema_version; CREATE TABLE notify_schema_script (name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL)");
        foreach (var script in SchemaMigrator.Scripts)
        {
            var sha256 = script == changedSince ? "sha256-of-an-earlier-text" : script.Sha256;
            await ExecuteAsync(dataSource, $"INSERT INTO notify_schema_script VALUES ('{script.Name}', '{sha256}', now())");
        }

        var adoption = await Migrator(dataSource).MigrateAsync(Cancellation);

        Assert.Equal([changedSince.Name], adoption.Applied);
        Assert.Equal(SchemaMigrator.Scripts.Count, (await ReadStringsAsync(dataSource, "SELECT name FROM notify_schema_version")).Count);
        Assert.Empty(await ReadStringsAsync(dataSource, "SELECT tablename FROM pg_tables WHERE tablename = 'notify_schema_script'"));
        Assert.Empty((await Migrator(dataSource).MigrateAsync(Cancellation)).Applied);
    }

    [Fact]
    public async Task VerifyAsync_DatabaseOfAnOlderRelease_NamesTheScriptsNotApplied()
    {
        await using var dataSource = NotifyPostgresDataSource.Create(await server.CreateDatabaseAsync("verify_old_release", Cancellation));
        await Migrator(dataSource, SchemaMigrator.Scripts.SkipLast(1).ToList()).MigrateAsync(Cancellation);

        var refused = await Assert.ThrowsAsync<SchemaMismatchException>(() => Migrator(dataSource).VerifyAsync(Cancellation));

        Assert.Contains($"this silo needs version {SchemaMigrator.CurrentVersion} ({SchemaMigrator.Scripts[^1].Name} not applied)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloStart_DatabaseUpgradedByANewerRelease_FailsWithTheSchemaMessage()
    {
        var connectionString = await server.CreateDatabaseAsync("silo_newer_schema", Cancellation);
        await using (var dataSource = NotifyPostgresDataSource.Create(connectionString))
        {
            await Migrator(dataSource, [.. SchemaMigrator.Scripts, SchemaScript.Create("999_later_release.sql", "SELECT 1")]).MigrateAsync(Cancellation);
        }

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => PostgresSilo.StartAsync(connectionString, "newer-schema", "newer-schema"));

        Assert.Contains("newer than this silo knows", AllMessages(refused), StringComparison.Ordinal);
    }

    private static string AllMessages(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(AllMessages))
            : exception.Message + (exception.InnerException is { } inner ? " | " + AllMessages(inner) : "");

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Cancellation);
    }

    private static SchemaMigrator Migrator(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<SchemaMigrator>.Instance);

    private static SchemaMigrator Migrator(NpgsqlDataSource dataSource, IReadOnlyList<SchemaScript> scripts) =>
        new(dataSource, NullLogger<SchemaMigrator>.Instance, scripts);

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
