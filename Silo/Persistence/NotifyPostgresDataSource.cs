using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Notify.Silo.Persistence;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> (connection pool) a silo uses for everything PostgreSQL.</summary>
public static class NotifyPostgresDataSource
{
    /// <summary>
    /// Statements Npgsql keeps prepared per connection unless the connection string sets <c>Max Auto Prepare</c>
    /// itself: the record writes, heartbeats and grain-state queries repeat constantly, and a prepared statement
    /// skips parsing and planning on each of them.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        builder.ConnectionStringBuilder.ApplicationName ??= "notify";
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }
}
