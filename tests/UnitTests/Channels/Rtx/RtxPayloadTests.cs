using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Rtx;
using Xunit;
using static Notify.UnitTests.Channels.Http.PayloadJson;

namespace Notify.UnitTests.Channels.Rtx;

public sealed class RtxPayloadTests
{
    [Fact]
    public void Build_TitleAndBody_TextMessageWithTitleOnItsOwnLine()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Rtx, Title = "构建失败", Body = "流水线 p1 #42" };

        var request = Assert.Single(RtxPayload.Build(message, ["alice", "bob"], agentId: 1000002));

        AssertSerializesTo("""{"touser":"alice|bob","msgtype":"text","agentid":1000002,"text":{"content":"构建失败\n流水线 p1 #42"}}""", request);
    }

    [Fact]
    public void Content_NoTitle_BodyAlone() =>
        Assert.Equal("body only", RtxPayload.Content(new NotifyMessage { Channel = NotifyChannel.Rtx, Body = "body only" }));

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(1000, new[] { 1000 })]
    [InlineData(1001, new[] { 1000, 1 })]
    [InlineData(2500, new[] { 1000, 1000, 500 })]
    public void Build_ManyUsers_OneRequestPer1000InOrder(int users, int[] expectedSizes)
    {
        var userIds = Enumerable.Range(1, users).Select(i => $"u{i}").ToArray();

        var requests = RtxPayload.Build(new NotifyMessage { Channel = NotifyChannel.Rtx, Body = "b" }, userIds, 1);

        Assert.Equal(expectedSizes, requests.Select(r => r.UserIds.Count));
        Assert.Equal(userIds, requests.SelectMany(r => r.UserIds));
    }

    [Fact]
    public void Build_NoUsers_NoRequest() =>
        Assert.Empty(RtxPayload.Build(new NotifyMessage { Channel = NotifyChannel.Rtx, Body = "b" }, [], 1));
}
