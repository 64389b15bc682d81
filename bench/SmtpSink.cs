using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Notify.IntegrationTests.Infrastructure.Postgres;

namespace Notify.Bench;

/// <summary>Postfix's <c>smtp-sink</c> on a free loopback port: the sink perf-facts.md measures (&gt; 27k msg/s).</summary>
public sealed class SmtpSink : IDisposable
{
    public const string BinaryPath = "/usr/sbin/smtp-sink";

    private readonly Process _process;

    private SmtpSink(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"{BinaryPath} is missing: install it with 'apt-get install postfix' (no daemon is needed).");
        }

        var port = LoopbackPorts.Free();
        var process = Process.Start(new ProcessStartInfo(BinaryPath, $"-a -u nobody -m 1000 127.0.0.1:{port} 1024")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("smtp-sink did not start");

        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new SmtpSink(process, port);
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(20);
            }
        }

        var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "not listening after 2 s";
        throw new InvalidOperationException($"smtp-sink on port {port} failed: {error}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
