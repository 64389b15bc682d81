using Notify.Grains.Abstractions.Records;
using Xunit;

namespace Notify.UnitTests.Records;

public sealed class MessageListCursorTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 8, 30, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData("msg_001")]
    [InlineData("msg.with.dots")]
    [InlineData("构建")]
    public void Encode_ThenDecode_GivesTheSameInstantAndId(string id)
    {
        var token = new MessageListCursor(Created, id).Encode();

        Assert.True(MessageListCursor.TryDecode(token, out var decoded));
        Assert.Equal((Created, id), (decoded.CreatedAt, decoded.Id));
        Assert.DoesNotContain(token, c => c is '+' or '/' or '=');
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("")]
    [InlineData("MTIz")] // "123": no id
    [InlineData("Lm1zZw")] // ".msg": no instant
    [InlineData("YWJjLm1zZw")] // "abc.msg"
    [InlineData("LTEubXNn")] // "-1.msg"
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5OTkubXNn")] // past DateTimeOffset.MaxValue
    public void TryDecode_TokenNotMadeByEncode_Fails(string token)
    {
        Assert.False(MessageListCursor.TryDecode(token, out _));
    }

    [Theory]
    [InlineData(-1, "msg_b", true)]  // older
    [InlineData(1, "msg_a", false)]  // newer
    [InlineData(0, "msg_a", true)]   // same instant, smaller id
    [InlineData(0, "msg_b", false)]  // the cursor's own record
    [InlineData(0, "msg_c", false)]  // same instant, larger id
    public void Precedes_ListOrderNewestFirstThenIdDescending(int secondsFromCursor, string id, bool listedAfter)
    {
        var cursor = new MessageListCursor(Created, "msg_b");

        Assert.Equal(listedAfter, cursor.Precedes(Created.AddSeconds(secondsFromCursor), id));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Validate_AfterWithPage_OnlyPageOneIsAllowed(int page, bool refused)
    {
        var query = new MessageQuery { After = new MessageListCursor(Created, "msg_b").Encode(), Page = page };

        Assert.Equal(refused, query.Validate().Any(error => error.Field == "page"));
    }

    [Fact]
    public void Validate_AfterNotACursor_NamesAfter()
    {
        Assert.Contains(new MessageQuery { After = "bogus!" }.Validate(), error => error.Field == "after");
    }
}
