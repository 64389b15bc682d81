using System.Diagnostics;

namespace Notify.IntegrationTests.Infrastructure.Processes;

/// <summary>
/// Sends a real POSIX signal to a process through kill(1): what an orchestrator (TERM), the OOM killer (KILL) or a
/// debugger (STOP/CONT) does. kill(1) rather than P/Invoke keeps unsafe code out of the test project.
/// </summary>
internal static class PosixSignal
{
    public const string Terminate = "TERM";
    public const string Kill = "KILL";

    public static void Send(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, processId.ToString()])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("kill(1) did not start");
        var error = kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} {processId} failed: {error.Trim()}");
        }
    }
}
