using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Telemetry;

namespace Notify.Grains.Channels.Outbox;

/// <summary>
/// Keeps this silo's outbox folder from growing without end: every <see cref="Period"/> (the first a period after
/// start) it deletes files (and temporaries a crash left) written more than <see cref="OutboxOptions.Retention"/> ago,
/// at most <see cref="MaxFilesPerPass"/> per pass. Per silo, since each silo writes its own folder.
/// </summary>
public sealed partial class OutboxRetention(IOptions<OutboxOptions> options, NotifyMetrics metrics, TimeProvider time, ILogger<OutboxRetention> logger)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    public const int MaxFilesPerPass = 100_000;

    /// <summary>Deletes what is due in <paramref name="root"/>'s channel folders; returns how many files it deleted.</summary>
    public static int DeleteExpired(string root, DateTimeOffset writtenBefore, int maxFiles)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (deleted == maxFiles)
            {
                break;
            }

            if (file.LastWriteTimeUtc < writtenBefore.UtcDateTime)
            {
                try
                {
                    file.Delete();
                    deleted++;
                }
                catch (IOException)
                {
                    // Gone or in use meanwhile: the next pass sees it again.
                }
            }
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits a period: enumerating a large outbox must not sit on the silo's start.
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var outbox = options.Value;
                var deleted = DeleteExpired(Path.GetFullPath(outbox.Path), time.GetUtcNow() - outbox.Retention, MaxFilesPerPass);
                metrics.Purged("outbox_files", deleted);
                if (deleted > 0)
                {
                    LogDeleted(deleted, outbox.Retention);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                LogFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox retention: deleted {Count} file(s) older than {Retention}")]
    private partial void LogDeleted(int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox retention: the pass failed; the next one tries again")]
    private partial void LogFailed(Exception exception);
}
