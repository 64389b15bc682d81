using System.Text;
using System.Text.RegularExpressions;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Wework;
using Xunit;
using static Notify.UnitTests.Channels.Http.PayloadJson;

namespace Notify.UnitTests.Channels.Wework;

public sealed partial class WeworkPayloadTests
{
    [Fact]
    public void Build_ShortText_OneRequestToAllChatsWithMentionedList()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = "disk full", MentionedList = ["alice", "@all"] };

        var request = Assert.Single(WeworkPayload.Build(message, ["c1", "c2"]));

        AssertSerializesTo("""{"chatid":"c1|c2","msgtype":"text","text":{"content":"disk full","mentioned_list":["alice","@all"]}}""", request);
    }

    [Fact]
    public void Build_TextWithMobiles_CarriesMentionedMobileList()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = "disk full", MentionedList = ["alice"], MentionedMobileList = ["13800138000", "@all"] };

        AssertSerializesTo(
            """{"chatid":"c1","msgtype":"text","text":{"content":"disk full","mentioned_list":["alice"],"mentioned_mobile_list":["13800138000","@all"]}}""",
            Assert.Single(WeworkPayload.Build(message, ["c1"])));
    }

    [Fact]
    public void Build_LongTextWithMobiles_MobilesOnlyOnTheLastPart()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = new string('告', 1500), MentionedMobileList = ["13800138000"] };

        var requests = WeworkPayload.Build(message, ["c1"]);

        Assert.All(requests.SkipLast(1), r => Assert.Null(r.Text!.MentionedMobileList));
        Assert.Equal(["13800138000"], requests[^1].Text!.MentionedMobileList);
        Assert.Null(requests[^1].Text!.MentionedList);
    }

    [Fact]
    public void Build_TextWithoutMentions_LeavesMentionedListOut() =>
        AssertSerializesTo(
            """{"chatid":"c1","msgtype":"text","text":{"content":"disk full"}}""",
            Assert.Single(WeworkPayload.Build(new NotifyMessage { Channel = NotifyChannel.Wework, Body = "disk full" }, ["c1"])));

    [Fact]
    public void Build_LongText_MentionsOnlyOnTheLastPart()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Body = new string('告', 1500), MentionedList = ["alice"] };

        var requests = WeworkPayload.Build(message, ["c1"]);

        Assert.Equal([2046, 2046, 408], requests.Select(r => Encoding.UTF8.GetByteCount(r.Text!.Content)));
        Assert.All(requests.SkipLast(1), r => Assert.Null(r.Text!.MentionedList));
        Assert.Equal(["alice"], requests[^1].Text!.MentionedList);
    }

    [Fact]
    public void Build_Markdown_MentionTagsOnANewLineAndNoMentionedList()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, TextType = RobotTextType.Markdown, Body = "**disk** full", MentionedList = ["alice", "bob"] };

        AssertSerializesTo(
            """{"chatid":"c1","msgtype":"markdown","markdown":{"content":"**disk** full\n<@alice><@bob>"}}""",
            Assert.Single(WeworkPayload.Build(message, ["c1"])));
    }

    [Fact]
    public void MarkdownParts_LastPartFull_MentionsGoToAPartOfTheirOwn() =>
        Assert.Equal([new string('a', 4096), "<@alice><@bob>"], WeworkPayload.MarkdownParts(new string('a', 4096), ["alice", "bob"]));

    [Fact]
    public void MarkdownParts_MoreMentionsThanOnePartHolds_PackedWholeTagsWithinTheLimit()
    {
        var mentions = Enumerable.Range(1, 100).Select(i => $"user-{i:D3}-{new string('x', 55)}").ToArray();

        var parts = WeworkPayload.MarkdownParts("body", mentions);

        Assert.Equal("body", parts[0]);
        Assert.All(parts.Skip(1), p =>
        {
            Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, WeworkPayload.MaxMarkdownBytes);
            Assert.Matches(WholeTags(), p);
        });
        Assert.Equal(string.Concat(mentions.Select(m => $"<@{m}>")), string.Concat(parts.Skip(1)));
    }

    [GeneratedRegex(@"^(<@[^<>]+>)+$")]
    private static partial Regex WholeTags();
}
