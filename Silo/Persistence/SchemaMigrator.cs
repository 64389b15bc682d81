using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Notify.Silo.Persistence;

/// <summary>
/// Applies the embedded schema scripts (<c>Persistence/Schema/*.sql</c>, in file-name order) to the database:
/// everything in one transaction, under a PostgreSQL advisory lock so silos starting together apply them one after
/// the other. A script whose text is unchanged since it was last applied (SHA-256 in <c>notify_schema_script</c>)
/// is skipped unless <c>reapplyAll</c> is set; every script is idempotent, so reapplying is always safe.
/// </summary>
/// <remarks>
/// The Orleans ADO.NET providers read <c>OrleansQuery</c> once, when they initialise, so this must run before
/// them: the Postgres profile runs it as a silo lifecycle participant at <c>ServiceLifecycleStage.First</c>
/// (<see cref="SchemaMigrationStartup"/>); a CLI or deployment job can call <see cref="MigrateAsync"/> directly.
/// </remarks>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    /// <summary>The advisory lock every migrator takes; any fixed value works as long as it never changes.</summary>
    public const long AdvisoryLockKey = 0x4E6F_7469_6679_5343; // "NotifySC"

    private const string ResourcePrefix = "Notify.Silo.Persistence.Schema.";

    // Waiting for another silo's migration is part of a normal start; the default 30 s would be too tight.
    private const int CommandTimeoutSeconds = 300;

    /// <summary>The scripts this build carries, in the order they are applied.</summary>
    public static IReadOnlyList<SchemaScript> Scripts { get; } = LoadScripts();

    public async Task<SchemaMigrationResult> MigrateAsync(bool reapplyAll = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(
            connection,
            """
            CREATE TABLE IF NOT EXISTS notify_schema_script
            (
                name       text        NOT NULL PRIMARY KEY,
                sha256     text        NOT NULL,
                applied_at timestamptz NOT NULL
            )
            """,
            cancellationToken);

        var recorded = await ReadRecordedAsync(connection, cancellationToken);
        var applied = new List<string>();
        var unchanged = new List<string>();
        foreach (var script in Scripts)
        {
            if (!reapplyAll && recorded.TryGetValue(script.Name, out var sha256) && sha256 == script.Sha256)
            {
                unchanged.Add(script.Name);
                continue;
            }

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
            applied.Add(script.Name);
            LogScriptApplied(logger, script.Name, script.Sha256);
        }

        await transaction.CommitAsync(cancellationToken);
        LogMigrated(logger, applied.Count, unchanged.Count);
        return new SchemaMigrationResult(applied, unchanged);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeoutSeconds };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, string>> ReadRecordedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT name, sha256 FROM notify_schema_script", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded[reader.GetString(0)] = reader.GetString(1);
        }

        return recorded;
    }

    private static async Task RecordAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO notify_schema_script (name, sha256, applied_at) VALUES ($1, $2, now())
            ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = EXCLUDED.applied_at
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Sha256 });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SchemaScript[] LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => Load(assembly, name))
            .ToArray();
    }

    private static SchemaScript Load(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded schema script {resourceName} cannot be opened");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Line endings depend on the checkout; hash and run the same text everywhere.
        var text = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return new SchemaScript(resourceName[ResourcePrefix.Length..], text, sha256);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema script {Script} (sha256 {Sha256})")]
    private static partial void LogScriptApplied(ILogger logger, string script, string sha256);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema ready: {Applied} script(s) applied, {Unchanged} already current")]
    private static partial void LogMigrated(ILogger logger, int applied, int unchanged);
}

/// <summary>One embedded schema script: its file name (<c>001_orleans_main.sql</c>), text and SHA-256 (hex).</summary>
public sealed record SchemaScript(string Name, string Text, string Sha256);

/// <summary>What one migration did: the scripts it ran and the ones it skipped as already current.</summary>
public sealed record SchemaMigrationResult(IReadOnlyList<string> Applied, IReadOnlyList<string> Unchanged);
