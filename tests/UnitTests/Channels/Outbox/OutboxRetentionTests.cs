using Notify.Grains.Channels.Outbox;

namespace Notify.UnitTests.Channels.Outbox;

public sealed class OutboxRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Cutoff = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "notify-outbox-retention-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void DeleteExpired_FilesWrittenBeforeTheCutoffInEveryChannelFolder_DeletedUpToTheLimit()
    {
        var old = new[] { Write("email/a.eml", Cutoff.AddDays(-2)), Write("sms/b.json", Cutoff.AddMinutes(-1)), Write("email/c.eml.tmp", Cutoff.AddDays(-9)) };
        var recent = Write("email/d.eml", Cutoff.AddMinutes(1));

        var first = OutboxRetention.DeleteExpired(_root, Cutoff, maxFiles: 2);
        var second = OutboxRetention.DeleteExpired(_root, Cutoff, maxFiles: 2);

        Assert.Equal((2, 1), (first, second));
        Assert.All(old, path => Assert.False(File.Exists(path)));
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public void DeleteExpired_NoOutboxFolderYet_DeletesNothing() =>
        Assert.Equal(0, OutboxRetention.DeleteExpired(_root, Cutoff, maxFiles: 10));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Write(string relative, DateTimeOffset writtenAt)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "delivery");
        File.SetLastWriteTimeUtc(path, writtenAt.UtcDateTime);
        return path;
    }
}
