using Notify.Client;
using Notify.Client.Gateway;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Client;

/// <summary>SendBatchAsync answers the same over Orleans and over the gRPC gateway.</summary>
public sealed class BatchClientTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Theory]
    [InlineData("orleans")]
    [InlineData("gateway")]
    public async Task SendBatchAsync_ValidAndInvalidEntries_OneResultEachInOrder(string path)
    {
        INotifyClient client = path == "orleans" ? new NotifyClient(Host.ClusterClient) : new NotifyGatewayClient(Host.Grpc);
        var source = $"batch-{path}";
        BatchSubmitEntry[] entries =
        [
            new(new NotifyMessage { Channel = NotifyChannel.Email, Source = source, Receivers = [$"{path}-1@example.com"], Title = "t", Body = "b" }),
            new(new NotifyMessage { Channel = NotifyChannel.Sms, Source = source, Receivers = ["13800000021"], Body = "" }),
            new(new NotifyMessage { Channel = NotifyChannel.Rtx, Source = source, Receivers = [$"{path}.rtx"], Title = "t", Body = "b" }, RequestId: $"batch-client-{path}"),
        ];

        var results = await client.SendBatchAsync(entries);

        Assert.Equal(3, results.Count);
        Assert.NotNull(results[0].Accepted);
        Assert.Null(results[1].Accepted);
        Assert.Equal(RequestErrorKind.Invalid, results[1].ErrorKind);
        Assert.Equal("body", Assert.Single(results[1].Errors).Field);
        Assert.NotNull(results[2].Accepted);
        foreach (var accepted in new[] { results[0].Accepted!, results[2].Accepted! })
        {
            Assert.Equal(MessageStatus.Sent, (await Host.WaitForFinalAsync(accepted.MessageId)).Status);
        }

        var again = await client.SendBatchAsync([entries[2]]);
        Assert.Equal(results[2].Accepted, again.Single().Accepted! with { Replayed = false });
        Assert.True(again.Single().Accepted!.Replayed);
    }

    [Theory]
    [InlineData("orleans")]
    [InlineData("gateway")]
    public async Task SendBatchAsync_Empty_ThrowsNamingMessages(string path)
    {
        INotifyClient client = path == "orleans" ? new NotifyClient(Host.ClusterClient) : new NotifyGatewayClient(Host.Grpc);

        var error = await Assert.ThrowsAsync<NotifyRequestException>(() => client.SendBatchAsync([]));

        Assert.Equal("messages", Assert.Single(error.Errors).Field);
    }
}
