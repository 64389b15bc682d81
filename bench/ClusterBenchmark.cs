using System.CommandLine;
using System.Diagnostics;
using Grpc.Net.Client;
using Notify.Client;
using Notify.Client.Gateway;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Npgsql;

namespace Notify.Bench;

/// <summary>
/// End-to-end e-mail throughput of 1, 2, 3… real silo processes (<see cref="ClusterSilo"/>) on one PostgreSQL with
/// production durability (fsync, synchronous commit, full-page writes), delivering to postfix's smtp-sink, the load
/// spread round-robin over the silos' gRPC gateways. Per silo count: accept rate and latency, delivered messages per
/// second (first acceptance to last completion, from the records), delivery latency (acceptance → final record),
/// and where the CPU went. Everything shares this machine's cores, which the report says.
/// </summary>
public static class ClusterBenchmark
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    public static Command Command()
    {
        var silos = new Option<int[]>("--silos") { Description = "Silo counts to measure, one run each", DefaultValueFactory = _ => [1, 2, 3], AllowMultipleArgumentsPerToken = true };
        var messages = new Option<int>("--messages") { Description = "Messages in each measured run", DefaultValueFactory = _ => 10_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "gRPC sends in flight, over all gateways", DefaultValueFactory = _ => 64 };
        var connections = new Option<int>("--connections") { Description = "SMTP connections of each silo's e-mail sender", DefaultValueFactory = _ => 8 };
        var warmup = new Option<int>("--warmup") { Description = "Messages sent before each measured run", DefaultValueFactory = _ => 1_000 };
        var command = new Command("cluster", "E-mail throughput and delivery latency of 1, 2, 3 silo processes on one PostgreSQL")
        {
            silos, messages, concurrency, connections, warmup,
        };
        command.SetAction(parse => RunAsync(
            parse.GetValue(silos)!, parse.GetValue(messages), parse.GetValue(concurrency), parse.GetValue(connections), parse.GetValue(warmup)));
        return command;
    }

    private static async Task RunAsync(int[] siloCounts, int messages, int concurrency, int connections, int warmup)
    {
        Console.WriteLine($"cluster benchmark: real silo processes (Server GC) on one PostgreSQL (fsync, synchronous commit, full-page writes), e-mail to smtp-sink");
        Console.WriteLine($"  {messages} messages per run after {warmup} warm-up, {concurrency} gRPC sends in flight round-robin over the gateways, {connections} SMTP connections per silo, {Environment.ProcessorCount} cores shared by everything");
        using var sink = await SmtpSink.StartAsync();
        await using var postgres = await LocalPostgresInstance.CreateAndStartAsync(crashSafe: true, productionLike: true);
        var results = new List<RunResult>();
        foreach (var count in siloCounts)
        {
            var result = await RunOnceAsync(postgres, sink, count, messages, concurrency, connections, warmup);
            results.Add(result);
            Console.WriteLine(result.Describe());
        }

        Console.WriteLine();
        Console.WriteLine($"{"silos",5} {"accept/s",9} {"delivered/s",12} {"vs 1 silo",10} {"delivery p50",13} {"delivery p99",13} {"accept p99",11} {"CPU busy",9} {"cross-silo/e-mail",18}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Silos,5} {r.AcceptRate,9:F0} {r.DeliveredRate,12:F0} {r.DeliveredRate / results[0].DeliveredRate,10:F2} {r.Delivery.Percentile(50),10:F0} ms {r.Delivery.Percentile(99),10:F0} ms {r.Accept.Percentile(99),8:F0} ms {r.MachineBusy,8:P0} {r.CrossSiloMessagesPerEmail,18:F3}");
        }
    }

    private static async Task<RunResult> RunOnceAsync(
        LocalPostgresInstance postgres, SmtpSink sink, int siloCount, int messages, int concurrency, int connections, int warmup)
    {
        var database = await CreateDatabaseAsync(postgres, $"cluster_bench_{siloCount}");
        var clusterId = $"bench-{siloCount}-{Guid.NewGuid().ToString("N")[..8]}";
        var settings = new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = database,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            ["Channels:Email:Host"] = "127.0.0.1",
            ["Channels:Email:Port"] = sink.Port.ToString(),
            ["Channels:Email:From"] = "DevOps <notify@bench.local>",
            ["Channels:Email:MaxConnections"] = connections.ToString(),
            ["Notify:Outbox:Path"] = Path.Combine(Path.GetTempPath(), "notify-bench-outbox-" + clusterId),
            ["Logging:LogLevel:Default"] = "Warning",
        };

        var silos = Enumerable.Range(0, siloCount).Select(_ => ClusterSilo.Launch(settings)).ToList();
        var channels = new List<GrpcChannel>();
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitUntilReadyAsync(ReadyTimeout)));
            foreach (var silo in silos)
            {
                channels.Add(GrpcChannel.ForAddress($"http://127.0.0.1:{silo.GrpcPort}", new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
                }));
            }

            var gateways = channels.Select(c => new NotifyGatewayClient(c)).ToArray();
            await SendAsync(gateways, warmup, concurrency, "warmup");
            await WaitUntilFinalAsync(database, DateTimeOffset.UnixEpoch, warmup);

            var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var cpuBefore = MachineCpu.Read();
            var silosCpuBefore = silos.Sum(s => s.CpuTime.TotalSeconds);
            var benchCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var postgresCpuBefore = PostgresCpuSeconds(postgres.Port);
            var crossSiloBefore = await CrossSiloMessagesAsync(silos);
            var since = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var accept = await SendAsync(gateways, messages, concurrency, "run");
            var acceptRate = messages / clock.Elapsed.TotalSeconds;
            await WaitUntilFinalAsync(database, since, messages);
            var window = clock.Elapsed;
            var cpuAfter = MachineCpu.Read();
            var silosCpu = silos.Sum(s => s.CpuTime.TotalSeconds) - silosCpuBefore;
            var benchCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - benchCpuBefore;
            var postgresCpu = PostgresCpuSeconds(postgres.Port) - postgresCpuBefore;
            var crossSilo = await CrossSiloMessagesAsync(silos) - crossSiloBefore;
            var (delivery, deliveredRate, wall, delivered) = await DeliveryAsync(database, since);
            return new RunResult(
                siloCount, acceptRate, accept, deliveredRate, delivery, wall, window, cpuAfter.BusySince(cpuBefore), silosCpu, postgresCpu, benchCpu, loadBefore,
                (double)crossSilo / Math.Max(1, delivered));
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }

            await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static async Task<long> CrossSiloMessagesAsync(IEnumerable<ClusterSilo> silos) =>
        (await Task.WhenAll(silos.Select(s => s.SiloToSiloMessagesSentAsync()))).Sum();

    private static Task<LatencyStats> SendAsync(NotifyGatewayClient[] gateways, int messages, int concurrency, string prefix) =>
        LatencyStats.MeasureAsync(messages, concurrency, i => gateways[i % gateways.Length].SendEmailAsync([$"user{i % 1000}@bench.local"], $"{prefix} {i}", "the quick brown fox jumps over the lazy dog"));

    private static async Task WaitUntilFinalAsync(string database, DateTimeOffset since, int expected)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM notify_message WHERE created_at >= $1 AND status NOT IN ('Pending', 'Sending', 'Retrying')", connection);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
            var final = (long)(await command.ExecuteScalarAsync())!;
            if (final >= expected)
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"only {final} of {expected} messages were final after 10 minutes");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Acceptance → final record per message, and delivered messages per second from first acceptance to last completion.</summary>
    private static async Task<(LatencyStats Latency, double Rate, TimeSpan Wall, int Delivered)> DeliveryAsync(string database, DateTimeOffset since)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT created_at, completed_at FROM notify_message WHERE created_at >= $1 AND status = 'Sent'", connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(DateTime Created, DateTime Completed)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetDateTime(0), reader.GetDateTime(1)));
        }

        var wall = rows.Max(r => r.Completed) - rows.Min(r => r.Created);
        return (new LatencyStats(rows.Select(r => r.Completed - r.Created)), rows.Count / wall.TotalSeconds, wall, rows.Count);
    }

    private static async Task<string> CreateDatabaseAsync(LocalPostgresInstance postgres, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";
        await using (var connection = new NpgsqlConnection(postgres.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        // The timeouts docs/cluster.md recommends; pooling on, as the silos run in production.
        return new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString)
        {
            Database = name,
            Pooling = true,
            Timeout = 3,
            CommandTimeout = 10,
        }.ConnectionString;
    }

    private sealed record RunResult(
        int Silos,
        double AcceptRate,
        LatencyStats Accept,
        double DeliveredRate,
        LatencyStats Delivery,
        TimeSpan Wall,
        TimeSpan CpuWindow,
        double MachineBusy,
        double SilosCpuSeconds,
        double PostgresCpuSeconds,
        double BenchCpuSeconds,
        string LoadAverageBefore,
        double CrossSiloMessagesPerEmail)
    {
        public string Describe() =>
            $"  {Silos} silo(s): accepted {AcceptRate:F0} msg/s (accept {Accept.Describe()}); delivered {DeliveredRate:F0} msg/s over {Wall.TotalSeconds:F1} s, " +
            $"delivery (accept → final record) {Delivery.Describe()}\n" +
            $"           {CrossSiloMessagesPerEmail:F3} silo-to-silo Orleans messages per delivered e-mail (every message the silos sent each other, runtime traffic included)\n" +
            $"           {CpuWindow.TotalSeconds:F1} s of {Environment.ProcessorCount} cores, {MachineBusy:P0} busy (load average {LoadAverageBefore} before): silos {SilosCpuSeconds:F1} CPU-s " +
            $"({SilosCpuSeconds * 1000 / Messages(DeliveredRate, Wall):F2} ms per message), PostgreSQL {PostgresCpuSeconds:F1}, load generator {BenchCpuSeconds:F1}, " +
            $"everything else (smtp-sink, other users of the machine) {Math.Max(0, MachineBusy * Environment.ProcessorCount * CpuWindow.TotalSeconds - SilosCpuSeconds - PostgresCpuSeconds - BenchCpuSeconds):F1}";

        private static double Messages(double rate, TimeSpan wall) => Math.Max(1, rate * wall.TotalSeconds);
    }

    /// <summary>
    /// CPU seconds used so far by the PostgreSQL server listening on <paramref name="port"/> and its backends: the
    /// postmaster is the process started with <c>-c port=…</c>, the backends are its children (<c>/proc</c>).
    /// </summary>
    private static double PostgresCpuSeconds(int port)
    {
        const double ticksPerSecond = 100;
        var processes = Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Stat: Read($"/proc/{pid}/stat"), CommandLine: Read($"/proc/{pid}/cmdline").Replace('\0', ' ')))
            .Where(p => p.Stat.Length > 0)
            .ToList();
        var postmaster = processes.FirstOrDefault(p => p.CommandLine.Contains($"port={port} ", StringComparison.Ordinal) && p.CommandLine.Contains("postgres", StringComparison.Ordinal));
        if (postmaster.Pid == 0)
        {
            return 0;
        }

        return processes
            .Where(p => p.Pid == postmaster.Pid || Fields(p.Stat)[1] == postmaster.Pid.ToString())
            .Sum(p => (long.Parse(Fields(p.Stat)[11]) + long.Parse(Fields(p.Stat)[12])) / ticksPerSecond);

        // The fields after the command name (which may hold spaces, in parentheses): state, ppid, …, utime (14th), stime (15th).
        static string[] Fields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        static string Read(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException)
            {
                return "";
            }
            catch (UnauthorizedAccessException)
            {
                return "";
            }
        }
    }

    /// <summary>The machine's CPU counters from <c>/proc/stat</c> (jiffies), to tell how busy all cores were.</summary>
    private sealed record MachineCpu(long Busy, long Total)
    {
        public static MachineCpu Read()
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Take(8).Sum();
            return new MachineCpu(total - idle, total);
        }

        public double BusySince(MachineCpu before) => (double)(Busy - before.Busy) / Math.Max(1, Total - before.Total);
    }
}
