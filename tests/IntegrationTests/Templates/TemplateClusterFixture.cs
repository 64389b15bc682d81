using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Templates;

/// <summary>One cluster for the template tests, with the template services registered and a contact for every channel.</summary>
public sealed class TemplateClusterFixture : IAsyncLifetime
{
    public const string User = "alice";

    private NotifyTestCluster? _cluster;

    public NotifyTestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public ITemplateGrain Template(string code) => Cluster.Client.GetGrain<ITemplateGrain>(TemplateKeys.Template(code));

    public ITemplateIndexGrain Index => Cluster.Client.GetGrain<ITemplateIndexGrain>(TemplateKeys.Index);

    public ITemplateSendGrain Sender => Cluster.Client.GetGrain<ITemplateSendGrain>(0);

    public async ValueTask InitializeAsync()
    {
        _cluster = await NotifyTestCluster.StartAsync();
        await Cluster.Client.GetGrain<IContactGrain>(GrainKeys.Contact(User)).PutAsync(new Contact
        {
            Username = User,
            Email = "alice@example.com",
            Phone = "13800000000",
            WecomUserId = "alice.wecom",
            WechatOpenId = "alice-wx",
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>The delivery of <paramref name="messageId"/> once it is final.</summary>
    public async Task<Notify.Grains.Abstractions.Delivery.ChannelDelivery> DeliveredAsync(ChannelSendResult sent)
    {
        var record = await Cluster.WaitForFinalAsync(sent.MessageId);
        Assert.Equal(Notify.Grains.Abstractions.Records.MessageStatus.Sent, record.Status);
        return Assert.Single(Cluster.Transport(sent.Channel).Deliveries, d => d.MessageId == sent.MessageId);
    }
}

[CollectionDefinition(Name)]
public sealed class TemplateClusterCollection : ICollectionFixture<TemplateClusterFixture>
{
    public const string Name = "template cluster";
}
