using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Notify.Silo.Persistence;

/// <summary>
/// Brings the database to this build's schema version: the embedded scripts (<c>Persistence/Schema/NNN_name.sql</c>,
/// the number is the version) are applied once each, in order, and recorded with their SHA-256 in
/// <c>notify_schema_version</c>. Everything runs in one transaction under a PostgreSQL advisory lock, so of silos
/// starting together one applies the scripts and the others then find them applied. <see cref="SchemaUpgradePlan"/>
/// decides what runs and refuses a database newer than this build, or one whose applied scripts have changed.
/// </summary>
/// <remarks>
/// The Orleans ADO.NET providers read <c>OrleansQuery</c> once, when they initialise, so this must run before
/// them: the Postgres profile runs it as a silo lifecycle participant at <c>ServiceLifecycleStage.First</c>
/// (<see cref="SchemaMigrationStartup"/>). A database set up before versions existed (its scripts recorded by name
/// in <c>notify_schema_script</c>, re-run when changed) is adopted: its recorded scripts become applied versions,
/// those changed since re-run once (they were written to re-run), and the old table is dropped.
/// </remarks>
public sealed partial class SchemaMigrator
{
    /// <summary>The advisory lock every migrator takes; any fixed value works as long as it never changes.</summary>
    public const long AdvisoryLockKey = 0x4E6F_7469_6679_5343; // "NotifySC"

    private const string ResourcePrefix = "Notify.Silo.Persistence.Schema.";
    private const string LegacyTable = "notify_schema_script";

    // Waiting for another silo's migration is part of a normal start; the default 30 s would be too tight.
    private const int CommandTimeoutSeconds = 300;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<SchemaMigrator> _logger;
    private readonly IReadOnlyList<SchemaScript> _scripts;

    public SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
        : this(dataSource, logger, Scripts)
    {
    }

    /// <summary>A migrator with other scripts than the embedded ones: a later or an earlier release, in tests.</summary>
    internal SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger, IReadOnlyList<SchemaScript> scripts)
    {
        _dataSource = dataSource;
        _logger = logger;
        _scripts = scripts;
    }

    /// <summary>The scripts this build carries, in the order they are applied.</summary>
    public static IReadOnlyList<SchemaScript> Scripts { get; } = LoadScripts();

    /// <summary>The newest schema version this build knows.</summary>
    public static int CurrentVersion => Scripts[^1].Version;

    public async Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(
            connection,
            """
            CREATE TABLE IF NOT EXISTS notify_schema_version
            (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                sha256     text        NOT NULL,
                applied_at timestamptz NOT NULL
            )
            """,
            cancellationToken);

        var recorded = await ReadAppliedAsync(connection, cancellationToken);
        var applied = new List<string>();
        if (recorded.Count == 0)
        {
            applied.AddRange(await AdoptLegacyAsync(connection, recorded, cancellationToken));
        }

        var pending = SchemaUpgradePlan.Pending(_scripts, recorded);
        foreach (var script in pending)
        {
            await ApplyAsync(connection, script, cancellationToken);
            applied.Add(script.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        var unchanged = _scripts.Select(script => script.Name).Except(applied).ToList();
        LogMigrated(_logger, _scripts[^1].Version, applied.Count, unchanged.Count);
        return new SchemaMigrationResult(applied, unchanged);
    }

    /// <summary>
    /// Checks without changing anything that the database is at this build's version, for a silo that does not
    /// migrate (<see cref="NotifyPostgresOptions.ApplySchemaOnStartup"/> off) and for <c>--check-config</c>; throws
    /// <see cref="SchemaMismatchException"/> saying what is wrong.
    /// </summary>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        var pending = await PendingAsync(cancellationToken);
        if (pending.Count > 0)
        {
            var databaseVersion = _scripts.Where(script => !pending.Contains(script)).Select(script => script.Version).DefaultIfEmpty(0).Max();
            throw new SchemaMismatchException(
                $"the database schema is at version {databaseVersion}, this silo needs " +
                $"version {_scripts[^1].Version} ({string.Join(", ", pending.Select(script => script.Name))} not applied): apply it first, from a silo " +
                "with ApplySchemaOnStartup on or with SchemaMigrator.MigrateAsync over an account that may change the schema.");
        }
    }

    /// <summary>
    /// The scripts a migration would apply, read without changing anything; throws <see cref="SchemaMismatchException"/>
    /// for a database this build must not touch. A database set up before versions counts as applying everything.
    /// </summary>
    public async Task<IReadOnlyList<SchemaScript>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var recorded = await TableExistsAsync(connection, "notify_schema_version", cancellationToken)
            ? await ReadAppliedAsync(connection, cancellationToken)
            : [];
        return SchemaUpgradePlan.Pending(_scripts, recorded);
    }

    private async Task<List<string>> AdoptLegacyAsync(NpgsqlConnection connection, List<AppliedSchemaScript> recorded, CancellationToken cancellationToken)
    {
        var rerun = new List<string>();
        if (!await TableExistsAsync(connection, LegacyTable, cancellationToken))
        {
            return rerun;
        }

        var legacy = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand($"SELECT name, sha256 FROM {LegacyTable}", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                legacy[reader.GetString(0)] = reader.GetString(1);
            }
        }

        foreach (var script in _scripts.Where(script => legacy.ContainsKey(script.Name)))
        {
            if (legacy[script.Name] == script.Sha256)
            {
                await RecordAsync(connection, script, cancellationToken);
            }
            else
            {
                await ApplyAsync(connection, script, cancellationToken);
                rerun.Add(script.Name);
            }

            recorded.Add(new AppliedSchemaScript(script.Version, script.Name, script.Sha256));
        }

        await ExecuteAsync(connection, $"DROP TABLE {LegacyTable}", cancellationToken);
        LogAdopted(_logger, recorded.Count, rerun.Count);
        return rerun;
    }

    private async Task ApplyAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, script.Text, cancellationToken);
        }
        catch (PostgresException exception)
        {
            throw new InvalidOperationException(
                $"schema script {script.Name} failed: {exception.MessageText} (SQLSTATE {exception.SqlState})", exception);
        }

        await RecordAsync(connection, script, cancellationToken);
        LogScriptApplied(_logger, script.Name, script.Sha256);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeoutSeconds };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> TableExistsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<AppliedSchemaScript>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, name, sha256 FROM notify_schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new List<AppliedSchemaScript>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(new AppliedSchemaScript(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }

        return applied;
    }

    private static async Task RecordAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO notify_schema_version (version, name, sha256, applied_at) VALUES ($1, $2, $3, now())", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = script.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Sha256 });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SchemaScript[] LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name))
            .OrderBy(script => script.Version)
            .ToArray();
        var duplicate = scripts.GroupBy(script => script.Version).FirstOrDefault(group => group.Count() > 1);
        return duplicate is null
            ? scripts
            : throw new InvalidOperationException($"schema scripts {string.Join(" and ", duplicate.Select(script => script.Name))} share version {duplicate.Key}");
    }

    private static SchemaScript Load(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded schema script {resourceName} cannot be opened");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return SchemaScript.Create(resourceName[ResourcePrefix.Length..], reader.ReadToEnd());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema script {Script} (sha256 {Sha256})")]
    private static partial void LogScriptApplied(ILogger logger, string script, string sha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adopted a schema set up before versions: {Recorded} script(s) recorded as applied, {Rerun} changed since and run again")]
    private static partial void LogAdopted(ILogger logger, int recorded, int rerun);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema at version {Version}: {Applied} script(s) applied, {Unchanged} already applied")]
    private static partial void LogMigrated(ILogger logger, int version, int applied, int unchanged);
}

/// <summary>One schema script: its file name (<c>001_orleans_main.sql</c>), the version its number gives, its text and SHA-256 (hex).</summary>
public sealed record SchemaScript(int Version, string Name, string Text, string Sha256)
{
    /// <summary>A script from its file name (<c>NNN_what.sql</c>) and text.</summary>
    public static SchemaScript Create(string name, string text)
    {
        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version <= 0)
        {
            throw new InvalidOperationException($"schema script {name} is not named NNN_what.sql with a positive version number NNN");
        }

        // Line endings depend on the checkout; hash and run the same text everywhere.
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return new SchemaScript(version, name, normalised, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised))));
    }
}

/// <summary>What one migration did: the scripts it ran and the ones already applied.</summary>
public sealed record SchemaMigrationResult(IReadOnlyList<string> Applied, IReadOnlyList<string> Unchanged);
