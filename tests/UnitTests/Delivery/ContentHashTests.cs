using Notify.Grains.Delivery;

namespace Notify.UnitTests.Delivery;

public sealed class ContentHashTests
{
    [Fact]
    public void Compute_IsLowerHexMd5() => Assert.Matches("^[0-9a-f]{32}$", ContentHash.Compute("t", "b"));

    [Theory]
    [InlineData("line1\r\nline2", "line1\nline2")]
    [InlineData("line1  \nline2\t", "line1\nline2")]
    [InlineData("\n body \n", "body")]
    public void Compute_LineEndingsAndTrailingSpace_DoNotMatter(string a, string b) =>
        Assert.Equal(ContentHash.Compute("t", a), ContentHash.Compute("t", b));

    [Theory]
    [InlineData("t", "b", "t2", "b")]
    [InlineData("t", "b", "t", "b2")]
    [InlineData("ab", "c", "a", "bc")]
    public void Compute_DifferentTitleOrBody_Differs(string title1, string body1, string title2, string body2) =>
        Assert.NotEqual(ContentHash.Compute(title1, body1), ContentHash.Compute(title2, body2));
}
