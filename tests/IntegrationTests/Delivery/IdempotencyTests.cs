using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using static Notify.IntegrationTests.Delivery.DeliveryTests;

namespace Notify.IntegrationTests.Delivery;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task Submit_SameRequestIdTwice_IsOneMessageSentOnce()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var first = await cluster.Notify.SubmitAsync(EmailTo(), "req-1");
        var second = await cluster.Notify.SubmitAsync(EmailTo(), "req-1");

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal((false, true), (first.Replayed, second.Replayed));
        Assert.Equal(MessageStatus.Sent, (await cluster.WaitForFinalAsync(first.MessageId)).Status);
        Assert.Single(cluster.Transport(NotifyChannel.Email).Deliveries);
        Assert.Equal(1, (await cluster.Query.ListAsync(new MessageQuery())).Total);
    }

    [Fact]
    public async Task Submit_SameRequestIdWithAdjustments_IsReplayed()
    {
        // Each submit carries its own list instance, as a template send's rendering produces.
        await using var cluster = await NotifyTestCluster.StartAsync();
        var first = await cluster.Notify.SubmitAsync(EmailTo() with { Adjustments = new List<string> { "title truncated" } }, "req-adjusted");
        var second = await cluster.Notify.SubmitAsync(EmailTo() with { Adjustments = new List<string> { "title truncated" } }, "req-adjusted");

        Assert.Equal((first.MessageId, true), (second.MessageId, second.Replayed));
    }

    [Fact]
    public async Task Submit_SameRequestIdDifferentBody_IsAConflict()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var first = await cluster.Notify.SubmitAsync(EmailTo(), "req-1");
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => cluster.Notify.SubmitAsync(EmailTo() with { Body = "changed" }, "req-1"));

        Assert.Equal(RequestErrorKind.Conflict, exception.Kind);
        Assert.Equal("requestId", exception.Errors.Single().Field);
        Assert.Contains(first.MessageId, exception.Message);
    }

    [Fact]
    public async Task Submit_SameRequestIdFromAnotherSource_IsAnotherMessage()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var ci = await cluster.Notify.SubmitAsync(EmailTo() with { Source = "ci" }, "req-1");
        var monitor = await cluster.Notify.SubmitAsync(EmailTo() with { Source = "monitor" }, "req-1");
        Assert.NotEqual(ci.MessageId, monitor.MessageId);
    }

    [Fact]
    public async Task Submit_BadRequestId_NamesTheField()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => cluster.Notify.SubmitAsync(EmailTo(), new string('x', 129)));
        Assert.Equal("requestId", exception.Errors.Single().Field);
    }
}
