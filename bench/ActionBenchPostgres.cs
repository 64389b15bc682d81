using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Notify.Bench;

/// <summary>
/// A throwaway PostgreSQL server for the action benchmark, configured as production would be where it matters: fsync,
/// synchronous commit and full-page writes on. WAL is given room (<c>max_wal_size</c> 4 GB) so a run is not dominated by
/// checkpoints, as a tuned production server would be. Its data directory is deleted on dispose.
/// </summary>
public sealed class ActionBenchPostgres : IAsyncDisposable
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private const string ServerUser = "postgres";

    private readonly string _binaries;
    private readonly string _directory;
    private readonly bool _asServerUser;

    private ActionBenchPostgres(string binaries, string directory, bool asServerUser, int port)
    {
        _binaries = binaries;
        _directory = directory;
        _asServerUser = asServerUser;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The settings the server runs with, printed with the figures.</summary>
    public static IReadOnlyList<string> Settings { get; } =
    [
        "fsync=on", "synchronous_commit=on", "full_page_writes=on", "shared_buffers=256MB", "max_wal_size=4GB",
        "checkpoint_timeout=15min", "max_connections=200",
    ];

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<ActionBenchPostgres> StartAsync()
    {
        var binaries = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot).Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (binaries is null)
        {
            throw new InvalidOperationException($"no PostgreSQL server binaries under {BinariesRoot}/*/bin (apt-get install postgresql)");
        }

        // initdb refuses to run as root: as root, the server commands run as the postgres OS user.
        var asServerUser = Environment.IsPrivilegedProcess;
        var directory = Path.Combine(Path.GetTempPath(), "notify-bench-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new ActionBenchPostgres(binaries, directory, asServerUser, FreePort());
        if (asServerUser)
        {
            await RunAsync("chown", [$"{ServerUser}:{ServerUser}", directory]);
        }

        await server.RunServerAsync("initdb", ["-D", server.DataDirectory, "-U", ServerUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"]);
        var options = string.Join(' ', Settings.Append("listen_addresses=127.0.0.1").Append($"port={server.Port}").Append($"unix_socket_directories={directory}").Select(s => "-c " + s));
        await server.RunServerAsync("pg_ctl", ["start", "-D", server.DataDirectory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "-s", "-o", options]);
        return server;
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        var admin = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = ServerUser, Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>A server setting as the server reports it (<c>SHOW fsync</c>).</summary>
    public async Task<string> ShowAsync(string connectionString, string setting)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunServerAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-s"]);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task RunServerAsync(string tool, IReadOnlyList<string> arguments)
    {
        var executable = Path.Combine(_binaries, tool);
        return _asServerUser ? RunAsync("runuser", ["-u", ServerUser, "--", executable, .. arguments]) : RunAsync(executable, arguments);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
