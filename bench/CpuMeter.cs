using System.Diagnostics;

namespace Notify.Bench;

/// <summary>This process's CPU time (every thread, user and kernel) since <see cref="Start"/>.</summary>
public sealed class CpuMeter
{
    private readonly TimeSpan _start = Process.GetCurrentProcess().TotalProcessorTime;

    public static CpuMeter Start() => new();

    public double MicrosecondsPer(int count) =>
        (Process.GetCurrentProcess().TotalProcessorTime - _start).TotalMicroseconds / count;
}
