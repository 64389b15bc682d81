using System.Diagnostics;
using System.Net;
using Notify.IntegrationTests.Infrastructure.Postgres;

namespace Notify.IntegrationTests.Infrastructure.Processes;

/// <summary>
/// One real silo: <c>dotnet Notify.Silo.dll</c> in its own process, configured through environment variables
/// (<c>Notify__Profile</c>, <c>ConnectionStrings__Notify</c> …), on free loopback ports. Its console output goes to
/// <see cref="LogPath"/>; failures quote its last lines. <see cref="Kill"/> is SIGKILL (a crash: nothing runs after
/// it), <see cref="TerminateAsync"/> is SIGTERM (the host's graceful stop). Disposing kills whatever still runs.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int TailLines = 80;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    // Silos still running when the test host exits (a test that never disposed its cluster) die with it.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Process, byte> Running = new();

    static SiloProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, Process process, StreamWriter log, string logPath, SiloPorts ports, IsolatedNetwork? network)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        Ports = ports;
        Network = network;
        Address = network?.InsideAddress ?? IPAddress.Loopback;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public SiloPorts Ports { get; }

    /// <summary>Where the test reaches the silo's HTTP and gRPC ports: loopback unless it runs in its own network.</summary>
    public IPAddress Address { get; }

    /// <summary>The network namespace the silo runs in, or null for this machine's.</summary>
    public IsolatedNetwork? Network { get; }

    /// <summary>Where the silo's console output is written, line by line.</summary>
    public string LogPath { get; }

    public bool HasExited => _exited.Task.IsCompleted;

    public int ExitCode => HasExited ? _process.ExitCode : throw new InvalidOperationException($"{Name} is still running");

    /// <summary>
    /// Starts the silo with <paramref name="settings"/> (configuration keys such as <c>Orleans:Membership:ProbeTimeout</c>)
    /// plus its own ports, and waits until <c>/readyz</c> answers 200: an active member whose storage answers.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(
        string name, IReadOnlyDictionary<string, string?> settings, TimeSpan readyTimeout, CancellationToken cancellationToken = default)
    {
        var silo = Launch(name, settings, SiloPorts.Free(), network: null);
        try
        {
            await silo.WaitUntilReadyAsync(readyTimeout, cancellationToken);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the process and returns at once; <see cref="WaitUntilReadyAsync"/> waits for it. In
    /// <paramref name="network"/> when given (through <c>ip netns exec</c>, which keeps the process id).
    /// </summary>
    public static SiloProcess Launch(string name, IReadOnlyDictionary<string, string?> settings, SiloPorts ports, IsolatedNetwork? network)
    {
        var dll = SiloBinary.Path;
        var command = (network?.ExecPrefix ?? []).Concat(["dotnet", dll]).ToArray();
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = System.IO.Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[EnvironmentName(key)] = value;
        }

        start.Environment[EnvironmentName("Silo:SiloPort")] = ports.Silo.ToString();
        start.Environment[EnvironmentName("Silo:GatewayPort")] = ports.Gateway.ToString();
        start.Environment[EnvironmentName("Gateway:HttpPort")] = ports.Http.ToString();
        start.Environment[EnvironmentName("Gateway:GrpcPort")] = ports.Grpc.ToString();
        start.Environment["DOTNET_NOLOGO"] = "1";

        var logPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"notify-silo-{name}-{Guid.NewGuid():N}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        SiloProcess? silo = null;
        process.OutputDataReceived += (_, line) => silo?.Append(line.Data);
        process.ErrorDataReceived += (_, line) => silo?.Append(line.Data);
        process.Exited += (_, _) => silo?._exited.TrySetResult();
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log.Dispose();
            throw new InvalidOperationException($"could not start `{string.Join(' ', command)}` for silo {name}: {exception.Message}", exception);
        }

        silo = new SiloProcess(name, process, log, logPath, ports, network);
        Running.TryAdd(process, 0);
        if (process.HasExited)
        {
            silo._exited.TrySetResult();
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200; fails with the reason and the log tail if the process exits or time runs out.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"silo {Name} exited with code {_process.ExitCode} before it was ready\n{Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync($"http://{Address}:{Ports.Http}/readyz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = exception.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        throw new TimeoutException($"silo {Name} was not ready within {timeout} (last /readyz: {last})\n{Tail()}");
    }

    /// <summary>SIGKILL: the process dies at once, as in a machine or OOM crash; returns once it is gone.</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            PosixSignal.Send(_process.Id, PosixSignal.Kill);
        }

        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM: the host's graceful stop. Returns how long the process took to exit; throws if it did not within <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        PosixSignal.Send(_process.Id, PosixSignal.Terminate);
        await WaitForExitAsync(timeout);
        return elapsed.Elapsed;
    }

    /// <summary>Waits for the process to exit by itself (after SIGTERM, or a silo that stops itself).</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"silo {Name} (pid {_process.Id}) did not exit within {timeout}\n{Tail()}");
        }

        // Exited fires before the redirected streams are drained; wait for them so the log is complete (bounded, so a
        // pipe some other process still holds cannot hang the run).
        await DrainOutputAsync();
    }

    private async Task DrainOutputAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bounded.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The last lines the silo wrote, for failure messages.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return $"--- last lines of silo {Name} ({LogPath}) ---\n" + string.Join('\n', _tail);
        }
    }

    /// <summary>The whole console output so far.</summary>
    public string Output()
    {
        lock (_gate)
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            try
            {
                PosixSignal.Send(_process.Id, PosixSignal.Kill);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the signal (ESRCH).
            }
        }

        await DrainOutputAsync();
        Running.TryRemove(_process, out _);
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>The four ports of one silo: Orleans silo-to-silo and client gateway, HTTP/1.1 and gRPC (HTTP/2).</summary>
public sealed record SiloPorts(int Silo, int Gateway, int Http, int Grpc)
{
    public static SiloPorts Free() => new(LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
}
