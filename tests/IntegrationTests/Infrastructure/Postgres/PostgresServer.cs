using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Npgsql;

namespace Notify.IntegrationTests.Infrastructure.Postgres;

/// <summary>
/// The PostgreSQL server of a test run (an xunit assembly fixture: one per run). On first use it starts a
/// throwaway local server (<see cref="LocalPostgresInstance"/>), or connects to the one
/// <see cref="ExternalServerVariable"/> names; runs that never ask for a database never start one. If the server
/// cannot be had, every test asking for it fails with the reason. Tests isolate themselves with
/// <see cref="CreateDatabaseAsync"/>; outage tests take their own instance from <see cref="StartLocalAsync"/> and
/// stop it, leaving the shared one alone.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>A connection string to an existing server whose user may create databases; overrides starting one.</summary>
    public const string ExternalServerVariable = LocalPostgresInstance.ExternalServerVariable;

    private readonly ConcurrentQueue<string> _createdDatabases = new();
    private readonly Lazy<Task<string>> _adminConnectionString;
    private LocalPostgresInstance? _local;

    public PostgresServer()
    {
        _adminConnectionString = new(ConnectAsync);
    }

    /// <summary>Starts an independent local server now, whatever <see cref="ExternalServerVariable"/> says.</summary>
    /// <param name="crashSafe">Every acknowledged commit survives <see cref="StopAsync"/>; for "acknowledged ⇒ durable" tests.</param>
    public static async Task<PostgresServer> StartLocalAsync(bool crashSafe = false)
    {
        var server = new PostgresServer();
        await server.StartLocalInstanceAsync(crashSafe);
        await server._adminConnectionString.Value;
        return server;
    }

    /// <summary>A connection string to the maintenance database, as a user who may create databases.</summary>
    public Task<string> GetAdminConnectionStringAsync() => _adminConnectionString.Value;

    /// <summary>Creates a fresh, empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var admin = await _adminConnectionString.Value;
        var stem = NotIdentifierCharacters().Replace(prefix.ToLowerInvariant(), "_");
        var name = $"{stem[..Math.Min(stem.Length, 40)]}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _createdDatabases.Enqueue(name);
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
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

        if (_createdDatabases.IsEmpty)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(await _adminConnectionString.Value);
        await connection.OpenAsync();
        while (_createdDatabases.TryDequeue(out var name))
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private LocalPostgresInstance Local => _local ?? throw new InvalidOperationException(
        $"only a server from {nameof(StartLocalAsync)} may be stopped and started; the run's shared server is not");

    private async Task<string> ConnectAsync()
    {
        if (_local is null)
        {
            var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
            if (!string.IsNullOrWhiteSpace(external))
            {
                return await CheckExternalAsync(external);
            }

            await StartLocalInstanceAsync(crashSafe: false);
        }

        return Local.AdminConnectionString;
    }

    private static async Task<string> CheckExternalAsync(string connectionString)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
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

        return admin;
    }

    private async Task StartLocalInstanceAsync(bool crashSafe)
    {
        _local = await LocalPostgresInstance.CreateAndStartAsync(crashSafe);
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NotIdentifierCharacters();
}
