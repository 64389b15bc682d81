using System.Diagnostics;
using System.Text;

namespace Notify.IntegrationTests.Infrastructure.Postgres;

/// <summary>Runs one external command to completion and fails with everything needed to see why.</summary>
internal static class CommandRunner
{
    public static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, string? logFile = null)
    {
        var commandLine = fileName + " " + string.Join(' ', arguments);
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"could not start `{commandLine}`: {exception.Message}", exception);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(Describe($"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s", output, logFile));
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(Describe($"`{commandLine}` exited with code {process.ExitCode}", output, logFile));
        }
    }

    private static string Describe(string failure, StringBuilder output, string? logFile)
    {
        var message = new StringBuilder(failure);
        lock (output)
        {
            if (output.Length > 0)
            {
                message.Append("\n--- output ---\n").Append(Tail(output.ToString()));
            }
        }

        if (logFile is not null && File.Exists(logFile))
        {
            message.Append($"\n--- {logFile} ---\n").Append(Tail(File.ReadAllText(logFile)));
        }

        return message.ToString();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Tail(string text, int lines = 30) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}
