using Notify.Client;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Client;

public sealed class NotifyClientTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    private NotifyClient Client => new(Host.ClusterClient);

    [Fact]
    public async Task SendEmailAsync_Valid_RecordedWithOptions()
    {
        var result = await Client.SendEmailAsync(["lib@example.com"], "t", "b", options: new SendOptions { Source = "lib", FrequencyLimitMinutes = 2, Priority = NotifyPriority.Low });

        var record = await Host.WaitForFinalAsync(result.MessageId);
        var read = await Client.GetMessageAsync(result.MessageId);

        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.NotNull(read);
        Assert.Equal("lib", read.Message.Source);
        Assert.Equal(2, read.Message.FrequencyLimitMinutes);
        Assert.Equal(NotifyPriority.Low, read.Message.Priority);
    }

    [Fact]
    public async Task SendEmailAsync_Invalid_ThrowsBeforeSubmitting()
    {
        var source = "lib-invalid-" + Guid.NewGuid().ToString("N")[..8];

        var error = await Assert.ThrowsAsync<NotifyRequestException>(() =>
            Client.SendEmailAsync([], "t\r\n", "b", options: new SendOptions { Source = source }));

        Assert.Equal(RequestErrorKind.Invalid, error.Kind);
        Assert.Equal(["receivers", "title"], error.Errors.Select(e => e.Field));
        Assert.Equal(0, (await Client.ListMessagesAsync(new MessageQuery { Source = source })).Total);
    }

    [Fact]
    public async Task ListMessagesAsync_BadPageSize_ThrowsNamingIt()
    {
        var error = await Assert.ThrowsAsync<NotifyRequestException>(() => Client.ListMessagesAsync(new MessageQuery { PageSize = 0 }));

        Assert.Equal("pageSize", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public async Task WhyNotAsync_BlacklistedUserByContact_Blocked()
    {
        var user = "lib-user-" + Guid.NewGuid().ToString("N")[..8];
        await Client.PutContactAsync(new Grains.Abstractions.Receivers.Contact { Username = user, Phone = "13000000001" });
        await Client.AddToBlacklistAsync([user]);

        var sent = await Client.SendSmsAsync([user], "b");
        await Host.WaitForFinalAsync(sent.MessageId);
        var entries = await Client.WhyNotAsync(user, NotifyChannel.Sms);
        var removed = await Client.RemoveFromBlacklistAsync([user]);
        var deleted = await Client.DeleteContactAsync(user);

        var entry = Assert.Single(entries);
        Assert.Equal(ReceiverStatus.Blocked, entry.Outcome.Status);
        Assert.Equal(OutcomeReason.Blacklisted, entry.Outcome.Reason);
        Assert.DoesNotContain(user, removed);
        Assert.True(deleted);
        Assert.Null(await Client.GetContactAsync(user));
    }
}
