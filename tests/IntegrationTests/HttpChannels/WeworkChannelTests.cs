using System.Text;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Http;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Xunit;
using static Notify.IntegrationTests.HttpChannels.TestDeliveries;

namespace Notify.IntegrationTests.HttpChannels;

/// <summary>The WeCom group-robot transport against the test webhook.</summary>
public sealed class WeworkChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_TextWithMentions_PostsChatIdsAndMentionedListWithKey()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = "disk full on h1", MentionedList = ["alice", "@all"] };

        var result = await host.Transport(NotifyChannel.Wework).SendAsync(To(message, "chat-1", "chat-2"), Ct);

        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.RobotWebhook));
        Assert.Equal("POST", send.Method);
        Assert.Equal(HttpProviderCredentials.RobotKey, send.Query["key"]);
        AssertJsonEqual("""{"chatid":"chat-1|chat-2","msgtype":"text","text":{"content":"disk full on h1","mentioned_list":["alice","@all"]}}""", send.Body);
        Assert.Equal(["chat-1", "chat-2"], result.Recipients.Select(r => r.Address));
        Assert.All(result.Recipients, r => Assert.True(r.Delivered));
    }

    [Fact]
    public async Task SendAsync_NamedRobotWithMobiles_PostsWithThatRobotsKeyAndMentionedMobileList()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers, ("Channels:Wework:Robots:ops:Key", HttpProviderCredentials.OtherRobotKey));
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = "build failed", Robot = "ops", MentionedMobileList = ["13800138000"] };

        var result = await host.Transport(NotifyChannel.Wework).SendAsync(To(message, "chat-1"), Ct);

        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.RobotWebhook));
        Assert.Equal(HttpProviderCredentials.OtherRobotKey, send.Query["key"]);
        AssertJsonEqual("""{"chatid":"chat-1","msgtype":"text","text":{"content":"build failed","mentioned_mobile_list":["13800138000"]}}""", send.Body);
        Assert.All(result.Recipients, r => Assert.True(r.Delivered));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Contains(HttpProviderCredentials.OtherRobotKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_RobotNoLongerConfigured_FailsPermanentlyWithoutARequest()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = "b", Robot = "gone" };

        var (_, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Wework).SendAsync(To(message, "chat-1"), Ct));

        Assert.Equal(FailureKind.Permanent, failure.Kind);
        Assert.Contains("'gone' is no longer configured", failure.Error, StringComparison.Ordinal);
        Assert.Empty(providers.RequestsTo(HttpProviderPaths.RobotWebhook));
    }

    [Fact]
    public async Task SendAsync_MarkdownWithMentions_AppendsMentionTagsToContent()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, TextType = RobotTextType.Markdown, Body = "**disk** full", MentionedList = ["alice", "bob"] };

        await host.Transport(NotifyChannel.Wework).SendAsync(To(message, "chat-1"), Ct);

        var send = Assert.Single(providers.RequestsTo(HttpProviderPaths.RobotWebhook));
        AssertJsonEqual("""{"chatid":"chat-1","msgtype":"markdown","markdown":{"content":"**disk** full\n<@alice><@bob>"}}""", send.Body);
    }

    [Fact]
    public async Task SendAsync_LongMultiByteText_SendsOrderedPartsWithinTheByteLimit()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var body = string.Concat(Enumerable.Range(1, 120).Select(i => $"第{i}行: 磁盘已满 💾 👩‍👩‍👧 on host-{i}\n"));
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = body, MentionedList = ["alice"] };

        await host.Transport(NotifyChannel.Wework).SendAsync(To(message, "chat-1"), Ct);

        var sends = providers.RequestsTo(HttpProviderPaths.RobotWebhook);
        var contents = sends.Select(s => (string)s.Json["text"]!["content"]!).ToArray();
        Assert.True(contents.Length >= 3, $"expected the {Encoding.UTF8.GetByteCount(body)}-byte body in several parts, got {contents.Length}");
        Assert.All(contents, c => Assert.InRange(Encoding.UTF8.GetByteCount(c), 1, 2048));
        Assert.Equal(body, string.Concat(contents));
        Assert.All(contents, c => Assert.DoesNotContain('\uFFFD', c));
        Assert.All(contents[..^1], c => Assert.EndsWith("\n", c, StringComparison.Ordinal));
        Assert.All(sends.SkipLast(1), s => Assert.Null(s.Json["text"]!["mentioned_list"]));
        Assert.Equal("alice", (string?)sends[^1].Json["text"]!["mentioned_list"]![0]);
    }

    [Fact]
    public async Task SendAsync_LongMarkdown_SendsPartsOfAtMost4096BytesWithMentionsLast()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        var body = new string('告', 3000);
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, TextType = RobotTextType.Markdown, Body = body, MentionedList = ["alice"] };

        await host.Transport(NotifyChannel.Wework).SendAsync(To(message, "chat-1"), Ct);

        var contents = providers.RequestsTo(HttpProviderPaths.RobotWebhook).Select(s => (string)s.Json["markdown"]!["content"]!).ToArray();
        Assert.Equal([4095, 4095, 810 + "\n<@alice>".Length], contents.Select(Encoding.UTF8.GetByteCount));
        Assert.Equal(body + "\n<@alice>", string.Concat(contents));
    }

    [Fact]
    public async Task SendAsync_WrongKey_ThrowsPermanentWithoutTheKey()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers, ("Channels:Wework:Key", "wrong-key-P8u4"));

        var (exception, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Wework).SendAsync(Sample(NotifyChannel.Wework), Ct));

        Assert.Equal("93000", Assert.IsType<ProviderErrorException>(exception).Code);
        Assert.Equal(FailureKind.Permanent, failure.Kind);
        Assert.DoesNotContain("wrong-key-P8u4", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RobotQuotaExceeded_TransientRetryAfterOneMinute()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.RobotWebhook, ProviderFault.Error(45009, "api freq out of limit"));

        var (_, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Wework).SendAsync(Sample(NotifyChannel.Wework), Ct));

        Assert.Equal(FailureKind.Transient, failure.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), failure.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_LaterPartFails_ThrowsAndStopsSending()
    {
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        await using var host = HttpChannelHost.For(providers);
        providers.InjectFault(HttpProviderPaths.RobotWebhook, ProviderFault.None);
        providers.InjectFault(HttpProviderPaths.RobotWebhook, ProviderFault.Status(500));
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = new string('x', 5000) };

        var (_, failure) = await FailingSendAsync(() => host.Transport(NotifyChannel.Wework).SendAsync(To(message, "chat-1"), Ct));

        Assert.Equal(FailureKind.Transient, failure.Kind);
        Assert.Equal(2, providers.RequestsTo(HttpProviderPaths.RobotWebhook).Count);
    }
}
