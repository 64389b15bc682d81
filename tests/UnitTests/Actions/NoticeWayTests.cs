using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.UnitTests.Actions;

public sealed class NoticeWayTests
{
    [Theory]
    [InlineData("mail", NotifyChannel.Email, "", "mail")]
    [InlineData("rtx", NotifyChannel.Rtx, "", "rtx")]
    [InlineData("sms", NotifyChannel.Sms, "", "sms")]
    [InlineData("voice", NotifyChannel.Voice, "", "voice")]
    [InlineData("weixin", NotifyChannel.Wechat, "", "weixin")]
    [InlineData("wxwork-bot|chat-1", NotifyChannel.Wework, "chat-1", "wxwork-bot|chat-1")]
    [InlineData(" MAIL ", NotifyChannel.Email, "", "mail")]
    [InlineData("WXWORK-BOT|Chat_A", NotifyChannel.Wework, "Chat_A", "wxwork-bot|Chat_A")]
    public void TryParse_KnownWay_MapsToItsChannel(string text, NotifyChannel channel, string chatId, string written)
    {
        Assert.True(NoticeWay.TryParse(text, out var way, out _));
        Assert.Equal((channel, chatId, written), (way.Channel, way.ChatId, way.ToString()));
    }

    [Theory]
    [InlineData("telegram", "is not a notice way")]
    [InlineData("", "is not a notice way")]
    [InlineData(null, "is not a notice way")]
    [InlineData("email", "is not a notice way")]
    [InlineData("wxwork-bot", "needs a chat id")]
    [InlineData("wxwork-bot|", "needs a chat id")]
    [InlineData("wxwork-bot|bad id", "not a robot chat id")]
    [InlineData("mail|chat-1", "only wxwork-bot takes")]
    public void TryParse_UnknownOrMalformedWay_SaysWhy(string? text, string reason)
    {
        Assert.False(NoticeWay.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void IsRobot_OnlyForTheWecomRobot()
    {
        Assert.True(NoticeWay.Parse("wxwork-bot|c1").IsRobot);
        Assert.False(NoticeWay.Parse("rtx").IsRobot);
    }
}
