using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Cluster;

/// <summary>The silo a crash or shutdown test stops: the one the e-mail channel's sender grain activated on.</summary>
internal static class EmailSenderSilo
{
    /// <summary>A slow SMTP server (per reply, five replies a message) keeps deliveries queued and on the wire when a silo goes.</summary>
    public static readonly TimeSpan SlowReply = TimeSpan.FromMilliseconds(20);

    /// <summary>Sends one e-mail, so the sender activates somewhere, and answers the silo process it activated on.</summary>
    public static async Task<SiloProcess> WarmUpAsync(SiloProcessCluster cluster, IClusterClient client, ResilientSubmitter submitter, SmtpTestServer smtp, CancellationToken ct)
    {
        await submitter.SubmitAsync("warmup", ClusterSettings.Email("warmup@example.com", "warmup"), ct);
        await smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(60), ct);
        var senderSilo = await client.GetGrain<IManagementGrain>(0)
            .GetActivationAddress(client.GetGrain<IChannelSenderGrain>(GrainKeys.ChannelSender(NotifyChannel.Email)), ct);
        return cluster.Silos.Single(s => s.Ports.Silo == senderSilo!.Endpoint.Port);
    }
}
