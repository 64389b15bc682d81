using Microsoft.Extensions.Logging.Abstractions;
using Notify.Silo.Persistence;
using Npgsql;
using Xunit;

namespace Notify.IntegrationTests.Infrastructure.Postgres;

/// <summary>A class fixture: a fresh database on the run's server with the project's schema applied.</summary>
public sealed class MigratedPostgresDatabase(PostgresServer server) : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("the database has not been initialised");

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync("notify_test");
        _dataSource = NotifyPostgresDataSource.Create(ConnectionString);
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
