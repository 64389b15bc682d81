using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// A message grain whose call to the channel sender was lost (the silo it called left the cluster while Orleans
/// forwarded the call) retries the attempt; the sender that delivered it answers instead of sending it again.
/// </summary>
public sealed class ChannelSenderRetryTests
{
    private static ChannelDelivery Delivery(string messageId, params string[] addresses) => new(
        messageId,
        1,
        ClusterSettings.Email(addresses[0], "retried"),
        addresses.Select(a => new DeliveryRecipient(a, a, RecipientKind.To)).ToArray());

    [Fact]
    public async Task DeliverAsync_SameMessageAgain_DeliveredAddressesAreAnsweredNotResent()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var transport = cluster.Transport(NotifyChannel.Email).Script("busy@example.com", ScriptedTransport.Transient());
        var sender = cluster.Client.GetGrain<IChannelSenderGrain>(GrainKeys.ChannelSender(NotifyChannel.Email));

        var first = await sender.DeliverAsync(Delivery("msg_retried", "a@example.com", "busy@example.com"));
        var retried = await sender.DeliverAsync(Delivery("msg_retried", "A@example.com", "busy@example.com") with { Attempt = 2 });
        var other = await sender.DeliverAsync(Delivery("msg_other", "a@example.com"));

        Assert.Equal([true, false], first.Recipients.Select(r => r.Delivered));
        Assert.All(retried.Recipients, r => Assert.True(r.Delivered));
        Assert.True(other.Recipients.Single().Delivered);
        Assert.Equal(
            [["a@example.com", "busy@example.com"], ["busy@example.com"], ["a@example.com"]],
            transport.Deliveries.Select(d => d.Recipients.Select(r => r.Address).ToArray()));
    }
}
