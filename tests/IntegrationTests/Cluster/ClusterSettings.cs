using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Cluster;

internal static class ClusterSettings
{
    /// <summary>The e-mail channel of every silo pointed at the test's SMTP server.</summary>
    public static Dictionary<string, string?> EmailTo(SmtpTestServer smtp, int maxConnections = 8) => new()
    {
        ["Channels:Email:Host"] = smtp.Host,
        ["Channels:Email:Port"] = smtp.Port.ToString(),
        ["Channels:Email:From"] = "notify@example.com",
        ["Channels:Email:MaxConnections"] = maxConnections.ToString(),
    };

    public static NotifyMessage Email(string receiver, string title, int delaySeconds = 0) => new()
    {
        Channel = NotifyChannel.Email,
        Receivers = [receiver],
        Title = title,
        Body = "cluster test " + title,
        Source = "cluster-test",
        Sender = "Cluster",
        DelaySeconds = delaySeconds,
    };
}
