using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Email;
using Xunit;

namespace Notify.UnitTests.Channels.Email;

public sealed class EmailOutboxRendererTests
{
    [Theory]
    [InlineData(null, "notify@localhost")]
    [InlineData("Ops <ops@example.com>", "ops@example.com")]
    public async Task RenderAsync_From_ConfiguredOrDefault(string? configuredFrom, string expectedAddress)
    {
        var renderer = new EmailOutboxRenderer(Options.Create(new EmailChannelOptions { From = configuredFrom }), new FakeTimeProvider());
        var delivery = new ChannelDelivery("msg_1", 1, new NotifyMessage { Channel = NotifyChannel.Email, Title = "t", Body = "b" },
            [new DeliveryRecipient("a@example.com", "a@example.com", RecipientKind.To)]);

        using var stream = new MemoryStream();
        await renderer.RenderAsync(delivery, stream, TestContext.Current.CancellationToken);
        stream.Position = 0;
        using var parsed = await MimeMessage.LoadAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal(expectedAddress, Assert.Single(parsed.From.Mailboxes).Address);
        Assert.Equal(NotifyChannel.Email, renderer.Channel);
    }
}
