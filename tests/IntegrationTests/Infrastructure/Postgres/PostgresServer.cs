using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

namespace Notify.IntegrationTests.Infrastructure.Postgres;

/// <summary>
/// The PostgreSQL server of a test run (an xunit assembly fixture: one per run). It starts a throwaway local
/// server (<see cref="LocalPostgresInstance"/>) unless <see cref="ExternalServerVariable"/> names an existing one.
/// Tests isolate themselves with <see cref="CreateDatabaseAsync"/>; outage tests start their own instance with
/// <see cref="StartLocalAsync"/> and stop it, leaving the shared one alone.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    /// <summary>A connection string to an existing server whose user may create databases; overrides starting one.</summary>
    public const string ExternalServerVariable = "NOTIFY_TEST_POSTGRES";

    private readonly ConcurrentQueue<string> _createdDatabases = new();
    private LocalPostgresInstance? _local;
    private string? _adminConnectionString;

    /// <summary>Connects to the maintenance database as a user who may create databases.</summary>
    public string AdminConnectionString =>
        _adminConnectionString ?? throw new InvalidOperationException("the PostgreSQL server has not been initialised");

    public bool IsExternal => _local is null;

    /// <summary>Starts an independent local server, whatever <see cref="ExternalServerVariable"/> says.</summary>
    /// <param name="crashSafe">Every acknowledged commit survives <see cref="StopAsync"/>; for "acknowledged ⇒ durable" tests.</param>
    public static async Task<PostgresServer> StartLocalAsync(bool crashSafe = false)
    {
        var server = new PostgresServer();
        await server.StartLocalInstanceAsync(crashSafe);
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (string.IsNullOrWhiteSpace(external))
        {
            await StartLocalInstanceAsync(crashSafe: false);
            return;
        }

        var admin = new NpgsqlConnectionStringBuilder(external) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException(
                $"{ExternalServerVariable} names a PostgreSQL server that refused a connection: {exception.Message}", exception);
        }

        _adminConnectionString = admin;
    }

    /// <summary>Creates a fresh, empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var stem = NotIdentifierCharacters().Replace(prefix.ToLowerInvariant(), "_");
        var name = $"{stem[..Math.Min(stem.Length, 40)]}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _createdDatabases.Enqueue(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Stops the local server at once, as a crash would. Only for a server from <see cref="StartLocalAsync"/>.</summary>
    public Task StopAsync() => Local.StopAsync();

    /// <summary>Starts a stopped local server again, on the same port.</summary>
    public Task StartAsync() => Local.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            // The whole data directory goes; no need to drop databases one by one.
            await _local.DisposeAsync();
            return;
        }

        if (_adminConnectionString is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        while (_createdDatabases.TryDequeue(out var name))
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private LocalPostgresInstance Local => _local ?? throw new InvalidOperationException(
        $"the server named by {ExternalServerVariable} is not this test run's to stop or start; use {nameof(StartLocalAsync)}");

    private async Task StartLocalInstanceAsync(bool crashSafe)
    {
        _local = await LocalPostgresInstance.CreateAndStartAsync(crashSafe);
        _adminConnectionString = new NpgsqlConnectionStringBuilder(_local.AdminConnectionString) { Pooling = false }.ConnectionString;
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NotIdentifierCharacters();
}
