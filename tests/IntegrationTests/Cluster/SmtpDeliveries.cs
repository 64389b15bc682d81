using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Cluster;

/// <summary>What the SMTP server received, counted per message id (the <c>X-Notify-Message-Id</c> header every e-mail carries).</summary>
internal static class SmtpDeliveries
{
    public const string MessageIdHeader = "X-Notify-Message-Id";

    public static IReadOnlyDictionary<string, int> CountByMessageId(SmtpTestServer smtp) =>
        smtp.Messages
            .Select(m => m.Message.Headers[MessageIdHeader] ?? throw new InvalidOperationException($"an e-mail without {MessageIdHeader}: {m.Message.Subject}"))
            .GroupBy(id => id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
