using System.Text;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

public sealed class ChannelContentLimitsTests
{
    [Theory]
    // Short text is untouched.
    [InlineData("abc", 5, "abc")]
    [InlineData("abcde", 5, "abcde")]
    // ASCII: cut and mark.
    [InlineData("abcdef", 5, "abcd…")]
    // Chinese: one UTF-16 unit per character.
    [InlineData("构建成功通知内容", 5, "构建成功…")]
    // An emoji is a surrogate pair: never split; the cut falls before it.
    [InlineData("abc😀def", 5, "abc…")]
    [InlineData("ab😀def", 5, "ab😀…")]
    // A family emoji (ZWJ sequence) and a flag are single graphemes: kept whole or dropped whole.
    [InlineData("a👨‍👩‍👧bc", 10, "a👨‍👩‍👧…")]
    [InlineData("a👨‍👩‍👧bc", 9, "a…")]
    [InlineData("x🇨🇳🇨🇳", 6, "x🇨🇳…")]
    [InlineData("x🇨🇳🇨🇳", 5, "x…")]
    // A combining accent stays with its letter.
    [InlineData("abe\u0301cd", 4, "ab…")]
    public void Truncate_Text_CutsAtWholeCharacters(string text, int max, string expected)
    {
        var cut = TextTruncation.Truncate(text, max);
        Assert.Equal(expected, cut);
        Assert.True(cut.Length <= max);
        Assert.Equal(Encoding.UTF8.GetBytes(cut), new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(cut));
    }

    [Theory]
    // SMS counts characters: 600 Chinese characters become 500.
    [InlineData(NotifyChannel.Sms, "", 600, "body truncated from 600 to 500 characters (sms limit 500)")]
    [InlineData(NotifyChannel.Voice, "任务", 501, "content truncated from 501 to 500 characters (voice limit 500)")]
    public void Fit_LongBody_IsTruncatedAndRecorded(NotifyChannel channel, string title, int length, string adjustment)
    {
        var fitted = ChannelContentLimits.Fit(channel, title, new string('告', length), EmailFormat.Text, RobotTextType.Text);
        Assert.Equal(ChannelContentLimits.BodyLength(channel), fitted.Body.Length);
        Assert.EndsWith(TextTruncation.Ellipsis, fitted.Body);
        Assert.Equal([adjustment], fitted.Adjustments);
    }

    [Fact]
    public void Fit_LongEmojiSubject_IsCutBeforeTheEmojiAndRecorded()
    {
        var subject = new string('构', 254) + "😀😀";
        var fitted = ChannelContentLimits.Fit(NotifyChannel.Email, subject, "body", EmailFormat.Html, RobotTextType.Text);
        Assert.Equal(new string('构', 254) + TextTruncation.Ellipsis, fitted.Title);
        Assert.Equal(["title truncated from 258 to 255 characters (email limit 256)"], fitted.Adjustments);
    }

    [Fact]
    public void Fit_TitleWithLineBreaks_IsFlattened()
    {
        var fitted = ChannelContentLimits.Fit(NotifyChannel.Rtx, "a\r\nb\tc", "body", EmailFormat.Text, RobotTextType.Text);
        Assert.Equal("a b c", fitted.Title);
        Assert.Contains("line breaks", Assert.Single(fitted.Adjustments));
    }

    [Theory]
    [InlineData(NotifyChannel.Sms)]
    [InlineData(NotifyChannel.Wechat)]
    [InlineData(NotifyChannel.Wework)]
    public void Fit_ChannelWithoutTitle_PutsTitleOnTheFirstLine(NotifyChannel channel)
    {
        var fitted = ChannelContentLimits.Fit(channel, "标题", "正文", EmailFormat.Text, RobotTextType.Text);
        Assert.Equal("", fitted.Title);
        Assert.Equal("标题\n正文", fitted.Body);
    }

    [Theory]
    [InlineData(NotifyChannel.Email, "t", " ")]
    [InlineData(NotifyChannel.Rtx, "", "body")]
    public void Fit_EmptyRequiredPart_IsRefused(NotifyChannel channel, string title, string body) =>
        Assert.Throws<TemplateRenderException>(() => ChannelContentLimits.Fit(channel, title, body, EmailFormat.Text, RobotTextType.Text));

    /// <summary>Whatever a template renders to, the fitted message passes the direct-send validator.</summary>
    [Fact]
    public void Fit_AnyRenderedText_PassesTheMessageValidator()
    {
        var random = new Random(20261123);
        string[] pieces = ["a", "构", "😀", "👨‍👩‍👧", "\n", "\r\n", "\t", "e\u0301", " ", "<b>"];
        for (var round = 0; round < 100; round++)
        {
            foreach (var channel in NotifyChannels.All)
            {
                var title = Random(random, pieces, random.Next(1, 700));
                var body = Random(random, pieces, random.Next(1, channel == NotifyChannel.Email ? 3000 : 30000)) + "x";
                var fitted = ChannelContentLimits.Fit(channel, "t" + title, body, EmailFormat.Text, RobotTextType.Text);
                var message = fitted.ToMessage() with { Receivers = [channel == NotifyChannel.Email ? "a@example.com" : channel is NotifyChannel.Sms or NotifyChannel.Voice ? "13800000000" : "alice"] };
                Assert.Empty(NotifyMessageValidator.Validate(message));
            }
        }
    }

    private static string Random(Random random, string[] pieces, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }
}
