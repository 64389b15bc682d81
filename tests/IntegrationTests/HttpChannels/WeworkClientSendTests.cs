using Notify.Client;
using Notify.Client.Gateway;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Gateway;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.HttpProviders;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>The client's typed robot sends, followed to the robot server: a named robot, phone mentions, and media.</summary>
public sealed class WeworkClientSendTests(BkciContractHostFixture fixture) : IClassFixture<BkciContractHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Theory]
    [InlineData("orleans")]
    [InlineData("gateway")]
    public async Task SendWework_RobotAndMobiles_SentWithThatRobotsKeyAndMentions(string path)
    {
        var client = Client(path);
        var chat = "wrkClientText" + path;

        var accepted = await client.SendWeworkAsync([chat], "client text", robot: "ops", mentionedMobileList: ["13800138000"]);

        Assert.Equal(MessageStatus.Sent, (await Host.WaitForFinalAsync(accepted.MessageId)).Status);
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook), r => (string?)r.Json["chatid"] == chat);
        Assert.Equal(HttpProviderCredentials.OtherRobotKey, send.Query["key"]);
        Assert.Equal(["13800138000"], send.Json["text"]!["mentioned_mobile_list"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task SendWeworkMedia_OrleansClient_VoiceUploadedThenSent()
    {
        var amr = "#!AMR\n"u8.ToArray().Concat(new byte[64]).ToArray();

        var accepted = await new NotifyClient(Host.ClusterClient).SendWeworkMediaAsync(["wrkClientVoice"], WeworkMedia.Create(WeworkMediaKind.Voice, "alert.amr", amr));

        Assert.Equal(MessageStatus.Sent, (await Host.WaitForFinalAsync(accepted.MessageId)).Status);
        var upload = Assert.Single(fixture.Providers.Uploads, u => u.FileName == "alert.amr");
        Assert.Equal(("voice", amr.Length), (upload.Type, upload.Content.Length));
        var send = Assert.Single(fixture.Providers.RequestsTo(HttpProviderPaths.RobotWebhook), r => (string?)r.Json["chatid"] == "wrkClientVoice");
        Assert.Equal(upload.MediaId, (string?)send.Json["voice"]!["media_id"]);
    }

    [Fact]
    public async Task SendWeworkMedia_GatewayClient_RefusedNamingMedia()
    {
        var media = WeworkMedia.Create(WeworkMediaKind.File, "a.txt", "abcdef"u8.ToArray());

        var error = await Assert.ThrowsAsync<NotifyRequestException>(() => new NotifyGatewayClient(Host.Grpc).SendWeworkMediaAsync(["wrkClientGw"], media));

        Assert.Equal("media", Assert.Single(error.Errors).Field);
        Assert.Contains("does not carry media", error.Message);
    }

    private INotifyClient Client(string path) => path == "orleans" ? new NotifyClient(Host.ClusterClient) : new NotifyGatewayClient(Host.Grpc);
}
