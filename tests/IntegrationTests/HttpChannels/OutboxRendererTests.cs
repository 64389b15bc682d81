using System.Text.Json.Nodes;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;
using static Notify.IntegrationTests.HttpChannels.TestDeliveries;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>The outbox file of each HTTP channel is the body its transport POSTs, less the secrets.</summary>
public sealed class OutboxRendererTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<NotifyChannel> Channels => AllHttpChannels();

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task RenderAsync_ConfiguredChannel_EqualsPostedBodyWithoutSecrets(NotifyChannel channel)
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var delivery = Sample(channel);

        await host.Transport(channel).SendAsync(delivery, Ct);
        var outbox = await host.RenderAsync(delivery);

        var posted = Assert.Single(providers.RequestsTo(SendPath(channel))).Json;
        posted.Remove("bk_app_secret");
        AssertJsonEqual(posted.ToJsonString(), JsonNode.Parse(outbox));
        Assert.All(HttpProviderCredentials.Secrets, secret => Assert.DoesNotContain(secret, outbox, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_RobotContentSplit_WritesTheArrayOfPostedBodiesInOrder()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = string.Concat(Enumerable.Repeat("告警 🚨 磁盘已满\n", 400)), MentionedList = ["alice"] };
        var delivery = To(message, "chat-1");

        await host.Transport(NotifyChannel.Wework).SendAsync(delivery, Ct);
        var outbox = await host.RenderAsync(delivery);

        var posted = new JsonArray(providers.RequestsTo(HttpProviderPaths.RobotWebhook).Select(r => (JsonNode)r.Json).ToArray());
        Assert.True(posted.Count > 1);
        AssertJsonEqual(posted.ToJsonString(), JsonNode.Parse(outbox));
    }

    [Fact]
    public async Task RenderAsync_UnconfiguredChannels_RenderBodiesWithoutCredentials()
    {
        await using var host = HttpChannelHost.Create(new Dictionary<string, string?>());

        AssertJsonEqual(
            """{"touser":"alice|bob","msgtype":"text","agentid":0,"text":{"content":"Build failed\npipeline p1 #42"}}""",
            JsonNode.Parse(await host.RenderAsync(Sample(NotifyChannel.Rtx))));
        AssertJsonEqual(
            """{"receiver":"13800000001,13800000002","content":"pipeline p1 #42 failed"}""",
            JsonNode.Parse(await host.RenderAsync(Sample(NotifyChannel.Sms))));
        AssertJsonEqual(
            """{"receiver":"o-open-1,o-open-2","data":{"heading":"Notification","message":"pipeline p1 #42 failed"}}""",
            JsonNode.Parse(await host.RenderAsync(Sample(NotifyChannel.Wechat))));
        AssertJsonEqual(
            """{"auto_read_message":"CPU high: cpu 95% on h1","user_list_information":[{"username":"13800000001","mobile_phone":"13800000001"},{"username":"13800000002","mobile_phone":"13800000002"}]}""",
            JsonNode.Parse(await host.RenderAsync(Sample(NotifyChannel.Voice))));
        AssertJsonEqual(
            """{"chatid":"chat-1|chat-2","msgtype":"text","text":{"content":"disk full on h1","mentioned_list":["alice"]}}""",
            JsonNode.Parse(await host.RenderAsync(Sample(NotifyChannel.Wework))));
    }
}
