using Npgsql;

namespace Notify.IntegrationTests.Infrastructure.Postgres;

/// <summary>
/// A throwaway PostgreSQL server: its own data directory under the temp folder, loopback only, tuned for speed
/// rather than durability (fsync off, and synchronous commit off unless crash-safe) unless production-like settings
/// are asked for (the benchmarks). Stopped with <c>-m immediate</c> and deleted on dispose.
/// </summary>
internal sealed class LocalPostgresInstance : IAsyncDisposable
{
    /// <summary>A connection string to an existing server whose user may create databases, used instead of starting one.</summary>
    public const string ExternalServerVariable = "NOTIFY_TEST_POSTGRES";

    private const string BinariesRoot = "/usr/lib/postgresql";
    private const string ServerUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binaries;
    private readonly string _directory;
    private readonly bool _runAsServerUser;
    private readonly bool _crashSafe;
    private readonly bool _productionLike;
    private bool _running;

    private LocalPostgresInstance(string binaries, string directory, bool runAsServerUser, bool crashSafe, bool productionLike)
    {
        _binaries = binaries;
        _directory = directory;
        _runAsServerUser = runAsServerUser;
        _crashSafe = crashSafe;
        _productionLike = productionLike;
    }

    public int Port { get; private set; }

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = ServerUser,
        Database = "postgres",
        IncludeErrorDetail = true,
        Pooling = false,
    }.ConnectionString;

    private string DataDirectory => Path.Combine(_directory, "data");

    private string LogFile => Path.Combine(_directory, "server.log");

    /// <param name="crashSafe">
    /// Keep synchronous commit on, so every acknowledged commit survives <see cref="StopAsync"/> (an immediate stop
    /// kills the server, not the OS, so fsync can stay off). Off, the last fraction of a second of commits may be lost.
    /// </param>
    /// <param name="productionLike">fsync, synchronous commit and full-page writes on, as a production server runs (benchmarks).</param>
    public static async Task<LocalPostgresInstance> CreateAndStartAsync(bool crashSafe, bool productionLike = false)
    {
        var binaries = FindBinaries();
        // initdb refuses to run as root: as root, every server command runs as the postgres OS user.
        var runAsServerUser = Environment.IsPrivilegedProcess;
        var directory = Path.Combine(Path.GetTempPath(), "notify-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var instance = new LocalPostgresInstance(binaries, directory, runAsServerUser, crashSafe, productionLike);
        try
        {
            if (runAsServerUser)
            {
                await CommandRunner.RunAsync("chown", [$"{ServerUser}:{ServerUser}", directory], CommandTimeout);
            }

            await instance.RunServerCommandAsync(
                "initdb",
                ["-D", instance.DataDirectory, "-U", ServerUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
            await instance.StartAsync();
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the server: first on a free port, afterwards on the same one again, since connection strings handed
    /// out name it.
    /// </summary>
    public async Task StartAsync()
    {
        if (Port != 0)
        {
            await StartOnPortAsync();
        }
        else
        {
            await StartOnFreePortAsync();
        }

        _running = true;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException(
                $"PostgreSQL in {DataDirectory} reported ready on port {Port} but refused a connection: {exception.Message}", exception);
        }
    }

    /// <summary>Stops the server at once, like a crash: clients see their connections drop.</summary>
    public async Task StopAsync()
    {
        if (!_running)
        {
            return;
        }

        await RunServerCommandAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-s"]);
        _running = false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }

    private async Task StartOnFreePortAsync()
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPorts.Free();
            var logLength = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
            try
            {
                await StartOnPortAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < attempts && LoggedSince(logLength, "could not bind"))
            {
                // Another process took the port between probing and binding; try another one.
            }
        }
    }

    private Task StartOnPortAsync()
    {
        var settings = string.Join(' ',
            "-c listen_addresses=127.0.0.1",
            $"-c port={Port}",
            $"-c unix_socket_directories={_directory}",
            $"-c fsync={(_productionLike ? "on" : "off")}",
            $"-c synchronous_commit={(_crashSafe || _productionLike ? "on" : "off")}",
            $"-c full_page_writes={(_productionLike ? "on" : "off")}",
            // Several silos and stores per test run, each with its own pool.
            "-c max_connections=300");
        return RunServerCommandAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-s", "-o", settings]);
    }

    private bool LoggedSince(long offset, string text)
    {
        if (!File.Exists(LogFile))
        {
            return false;
        }

        using var log = new StreamReader(new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        log.BaseStream.Seek(offset, SeekOrigin.Begin);
        return log.ReadToEnd().Contains(text, StringComparison.Ordinal);
    }

    private Task RunServerCommandAsync(string tool, IReadOnlyList<string> arguments)
    {
        var executable = Path.Combine(_binaries, tool);
        return _runAsServerUser
            ? CommandRunner.RunAsync("runuser", ["-u", ServerUser, "--", executable, .. arguments], CommandTimeout, LogFile)
            : CommandRunner.RunAsync(executable, arguments, CommandTimeout, LogFile);
    }

    private static string FindBinaries()
    {
        var candidates = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .ToArray()
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            $"no PostgreSQL server binaries (initdb, pg_ctl) under {BinariesRoot}/*/bin: install the postgresql package, " +
            $"or set {ExternalServerVariable} to the connection string of a server whose user may create databases");
    }
}
