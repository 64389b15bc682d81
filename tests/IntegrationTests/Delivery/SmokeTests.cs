using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Delivery;

public sealed class SmokeTests
{
    [Fact]
    public async Task Submit_Email_IsSent()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var result = await cluster.Notify.SubmitAsync(new NotifyMessage
        {
            Channel = NotifyChannel.Email,
            Receivers = ["a@example.com"],
            Title = "t",
            Body = "b",
        });
        var record = await cluster.WaitForFinalAsync(result.MessageId);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Single(cluster.Transport(NotifyChannel.Email).Deliveries);
    }
}
