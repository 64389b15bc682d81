using System.Text;
using Notify.Grains.Channels.Email;

namespace Notify.UnitTests.Channels.Email;

/// <summary>The end of DATA is seen once written, however the writes split it, and never inside a message.</summary>
public sealed class EndOfDataWatchTests
{
    public static TheoryData<string[], bool> Writes => new()
    {
        { ["MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n", "DATA\r\n"], false },
        { ["Subject: hi\r\n\r\nbody\r\n", ".\r\n"], true },
        { ["Subject: hi\r\n\r\nbody\r\n.\r\n"], true },
        { ["body\r", "\n", ".", "\r", "\n"], true },
        { ["body\r\n.", "\r\n"], true },
        { ["body\r\n..stuffed\r\n", "more\r\n"], false },
        { ["body\r\n.\r", "x\r\n"], false },
        { ["body\r\r\n.\r\n"], true },
        { ["AUTH PLAIN AGFAYgBj\r\n", "QUIT\r\n"], false },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public void LogClient_Writes_SeesTheEndOfData(string[] writes, bool expected)
    {
        var watch = new EndOfDataWatch();
        foreach (var write in writes)
        {
            var bytes = Encoding.ASCII.GetBytes("xx" + write);
            watch.LogClient(bytes, 2, bytes.Length - 2);
        }

        Assert.Equal(expected, watch.EndOfDataSent);
    }

    [Fact]
    public void Reset_AfterAMessage_StartsOver()
    {
        var watch = new EndOfDataWatch();
        var message = Encoding.ASCII.GetBytes("body\r\n.\r\n");
        watch.LogClient(message, 0, message.Length);
        watch.Reset();
        var next = Encoding.ASCII.GetBytes("MAIL FROM:<a@example.com>\r\n");
        watch.LogClient(next, 0, next.Length);
        Assert.False(watch.EndOfDataSent);
    }
}
