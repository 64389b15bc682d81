using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// Before a crash or shutdown test: every silo sends what it accepts itself, so each gets an e-mail through its own
/// gateway first (its sender connected, its code warm); the client's submits then spread over all of them.
/// </summary>
internal static class ClusterWarmUp
{
    /// <summary>A slow SMTP server (per reply, five replies a message) keeps deliveries queued and on the wire when a silo goes.</summary>
    public static readonly TimeSpan SlowReply = TimeSpan.FromMilliseconds(20);

    /// <summary>Sends one e-mail through each silo's REST gateway, waits until the SMTP server has them all, and answers their message ids.</summary>
    public static async Task<IReadOnlyList<string>> EverySiloSendsAsync(SiloProcessCluster cluster, SmtpTestServer smtp, CancellationToken ct)
    {
        var before = smtp.Messages.Count;
        var ids = new List<string>();
        foreach (var silo in cluster.Silos)
        {
            using var gateway = new SiloGateway(silo);
            var (response, _) = await gateway.SendEmailRestAsync($"warmup-{silo.Name}@example.com", $"warm-up {silo.Name}");
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"warm-up send through {silo.Name} was refused: {response.StatusCode} {response.Body}");
            ids.Add(response.Body.GetProperty("messageId").GetString()!);
        }

        await smtp.WaitForMessagesAsync(before + cluster.Silos.Count, TimeSpan.FromSeconds(60), ct);
        return ids;
    }
}
