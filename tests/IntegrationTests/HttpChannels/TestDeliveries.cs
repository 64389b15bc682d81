using System.Text.Json.Nodes;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Http;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;

namespace Notify.IntegrationTests.HttpChannels;

internal static class TestDeliveries
{
    public static IEnumerable<NotifyChannel> ProviderChannels { get; } =
        [NotifyChannel.Rtx, NotifyChannel.Wechat, NotifyChannel.Sms, NotifyChannel.Voice, NotifyChannel.Wework];

    /// <summary>A delivery to <paramref name="addresses"/>, each listed by its own address.</summary>
    public static ChannelDelivery To(NotifyMessage message, params string[] addresses) =>
        new($"m-{Guid.NewGuid():N}", 1, message, addresses.Select(a => new DeliveryRecipient(a, a, RecipientKind.To)).ToArray());

    /// <summary>A small valid delivery to two receivers of <paramref name="channel"/>.</summary>
    public static ChannelDelivery Sample(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Rtx => To(new NotifyMessage { Channel = channel, Title = "Build failed", Body = "pipeline p1 #42" }, "alice", "bob"),
        NotifyChannel.Wechat => To(new NotifyMessage { Channel = channel, Body = "pipeline p1 #42 failed" }, "o-open-1", "o-open-2"),
        NotifyChannel.Sms => To(new NotifyMessage { Channel = channel, Body = "pipeline p1 #42 failed" }, "13800000001", "13800000002"),
        NotifyChannel.Voice => To(new NotifyMessage { Channel = channel, Title = "CPU high", Body = "cpu 95% on h1" }, "13800000001", "13800000002"),
        NotifyChannel.Wework => To(new NotifyMessage { Channel = channel, Body = "disk full on h1", MentionedList = ["alice"] }, "chat-1", "chat-2"),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not an HTTP channel"),
    };

    /// <summary>The path a channel's send request goes to (after the token fetch, for rtx).</summary>
    public static string SendPath(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Rtx => HttpProviderPaths.WecomMessageSend,
        NotifyChannel.Wechat => HttpProviderPaths.CmsiSendWeixin,
        NotifyChannel.Sms => HttpProviderPaths.CmsiSendSms,
        NotifyChannel.Voice => HttpProviderPaths.CmsiSendVoice,
        NotifyChannel.Wework => HttpProviderPaths.RobotWebhook,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not an HTTP channel"),
    };

    /// <summary>The credential a channel's provider checks, which must never leave the process.</summary>
    public static string SecretOf(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Rtx => HttpProviderCredentials.CorpSecret,
        NotifyChannel.Wework => HttpProviderCredentials.RobotKey,
        _ => HttpProviderCredentials.AppSecret,
    };

    public static TheoryData<NotifyChannel> AllHttpChannels() => new(ProviderChannels);

    /// <summary>Runs a send that must fail and classifies the exception the way the channel sender does.</summary>
    public static async Task<(Exception Exception, SendFailure Failure)> FailingSendAsync(Func<Task> send)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(send);
        return (exception, HttpFailureClassifier.Classify(exception));
    }

    public static void AssertJsonEqual(string expected, JsonNode? actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), actual),
            $"JSON differs.\nExpected: {JsonNode.Parse(expected)?.ToJsonString()}\nActual:   {actual?.ToJsonString()}");
}
