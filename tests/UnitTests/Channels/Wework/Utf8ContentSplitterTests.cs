using System.Text;
using Notify.Grains.Channels.Wework;
using Xunit;

namespace Notify.UnitTests.Channels.Wework;

public sealed class Utf8ContentSplitterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData("告")]
    public void Split_FitsTheLimit_OnePartUnchanged(string content) =>
        Assert.Equal([content], Utf8ContentSplitter.Split(content, 4));

    [Fact]
    public void Split_Ascii_CutsAtTheLimit() =>
        Assert.Equal(["abcd", "efgh", "ij"], Utf8ContentSplitter.Split("abcdefghij", 4));

    [Fact]
    public void Split_Chinese_NeverCutsInsideA3ByteCharacter() =>
        Assert.Equal(["告警", "告警", "告"], Utf8ContentSplitter.Split("告警告警告", 7));

    [Fact]
    public void Split_Emoji_KeepsEach4ByteSequenceWhole() =>
        Assert.Equal(["😀", "😀", "😀"], Utf8ContentSplitter.Split("😀😀😀", 7));

    [Fact]
    public void Split_JoinedFamilyEmoji_KeepsTheClusterTogether()
    {
        const string family = "👩‍👩‍👧"; // three 4-byte emoji joined by two 3-byte ZWJs: 18 bytes

        Assert.Equal(["ab" + family, "cd"], Utf8ContentSplitter.Split("ab" + family + "cd", 20));
        Assert.Equal(["ab", family + "c", "d"], Utf8ContentSplitter.Split("ab" + family + "cd", 19));
    }

    [Fact]
    public void Split_ClusterLargerThanTheLimit_CutsBetweenItsRunes()
    {
        var content = "e" + new string('\u0301', 10); // one character with ten 2-byte combining accents: 21 bytes

        var parts = Utf8ContentSplitter.Split(content, 8);

        Assert.Equal([7, 8, 6], parts.Select(Encoding.UTF8.GetByteCount));
        Assert.Equal(content, string.Concat(parts));
    }

    [Fact]
    public void Split_LineBreakInSecondHalf_CutsAfterIt() =>
        Assert.Equal(["aaaaaa\n", "bbbbbbbbb"], Utf8ContentSplitter.Split("aaaaaa\nbbbbbbbbb", 10));

    [Fact]
    public void Split_LineBreakInFirstHalf_FillsThePartInstead() =>
        Assert.Equal(["a\nbbbbbbbb", "bbbb"], Utf8ContentSplitter.Split("a\nbbbbbbbbbbbb", 10));

    [Fact]
    public void Split_CrLfLines_CutsAfterTheWholePair() =>
        Assert.Equal(["告警\r\n", "告警告警"], Utf8ContentSplitter.Split("告警\r\n告警告警", 12));

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(19)]
    [InlineData(64)]
    [InlineData(2048)]
    public void Split_MixedScriptsAndEmoji_PartsWithinLimitValidUtf8AndConcatenateToInput(int maxBytes)
    {
        var random = new Random(20261123);
        string[] pieces = ["a", "Z", " ", "\n", "告", "警", "é", "e\u0301", "😀", "👍🏽", "👩‍👩‍👧", "🇨🇳", "\r\n"];
        var content = string.Concat(Enumerable.Range(0, 3000).Select(_ => pieces[random.Next(pieces.Length)]));

        var parts = Utf8ContentSplitter.Split(content, maxBytes);

        Assert.Equal(content, string.Concat(parts));
        Assert.All(parts, part =>
        {
            Assert.InRange(Encoding.UTF8.GetByteCount(part), 1, maxBytes);
            Assert.Equal(part, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Encoding.UTF8.GetBytes(part)));
            Assert.False(char.IsLowSurrogate(part[0]), "a part starts inside a surrogate pair");
        });
    }

    [Fact]
    public void Split_LimitBelowTheLongestUtf8Sequence_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Utf8ContentSplitter.Split("abc", 3));
}
