using System.Diagnostics;
using Notify.IntegrationTests.Infrastructure.Postgres;

namespace Notify.Bench;

/// <summary>
/// One real silo process for the cluster benchmark: <c>dotnet Silo/bin/Release/net10.0/Notify.Silo.dll</c> of this
/// repository (built with the benchmark, which references the Silo project) on free loopback ports, configured
/// through environment variables as in production, its console output discarded.
/// </summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;

    private ClusterSilo(Process process, int httpPort, int grpcPort)
    {
        _process = process;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    /// <summary>CPU time the process has used so far (all its threads, both cores).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the process with <paramref name="settings"/> (configuration keys) and its own ports; returns at once.</summary>
    public static ClusterSilo Launch(IReadOnlyDictionary<string, string?> settings)
    {
        var dll = SiloDll();
        var (httpPort, grpcPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        var environment = new Dictionary<string, string?>(settings)
        {
            ["Silo:SiloPort"] = LoopbackPorts.Free().ToString(),
            ["Silo:GatewayPort"] = LoopbackPorts.Free().ToString(),
            ["Gateway:HttpPort"] = httpPort.ToString(),
            ["Gateway:GrpcPort"] = grpcPort.ToString(),
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"`dotnet {dll}` did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ClusterSilo(process, httpPort, grpcPort);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (an active member whose storage answers).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with code {_process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{HttpPort}/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"the silo on HTTP port {HttpPort} was not ready within {timeout}");
    }

    /// <summary>
    /// Messages this silo has sent to other silos so far (grain calls, responses and the runtime's own, such as
    /// membership probes), read from Orleans' <c>orleans-messaging-sent-messages-size</c> histogram on <c>/metrics</c>.
    /// </summary>
    public async Task<long> SiloToSiloMessagesSentAsync()
    {
        var text = await Http.GetStringAsync($"http://127.0.0.1:{HttpPort}/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith("orleans_messaging_sent_messages_size", StringComparison.Ordinal)
                && line.Contains("_count{", StringComparison.Ordinal)
                && line.Contains("ConnectionDirection=\"SiloToSilo\"", StringComparison.Ordinal))
            .Sum(line => (long)double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static string SiloDll()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "orleans.sln")))
            {
                var dll = Path.Combine(directory.FullName, "Silo", "bin", "Release", "net10.0", "Notify.Silo.dll");
                return File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"))
                    ? dll
                    : throw new InvalidOperationException($"the silo is not built at {dll}: build the benchmark (or the silo) with -c Release");
            }
        }

        throw new InvalidOperationException($"no orleans.sln above {AppContext.BaseDirectory}");
    }
}
