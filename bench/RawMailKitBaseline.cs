using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Notify.Bench;

/// <summary>
/// The ceiling: MailKit straight to the sink, one connected client per worker, no cluster in between. The same
/// message shape and number of connections as the cluster's SMTP transport, so the ratio is fair.
/// </summary>
public static class RawMailKitBaseline
{
    public static async Task<double> MessagesPerSecondAsync(int port, int messages, int connections)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async _ =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
            int i;
            while ((i = Interlocked.Increment(ref next)) < messages)
            {
                await client.SendAsync(Message(i));
            }

            await client.DisconnectAsync(quit: true);
        });
        await Task.WhenAll(workers);
        return messages / stopwatch.Elapsed.TotalSeconds;
    }

    private static MimeMessage Message(int i)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("DevOps", "notify@bench.local"));
        message.To.Add(MailboxAddress.Parse($"user{i % 1000}@bench.local"));
        message.Subject = $"bench {i}";
        message.Body = new TextPart("plain") { Text = "the quick brown fox jumps over the lazy dog" };
        return message;
    }
}
