using System.Globalization;
using System.Text;

namespace Notify.Grains.Channels.Wework;

/// <summary>
/// Splits text into ordered parts of at most a number of UTF-8 bytes (WeCom measures robot content in bytes).
/// The parts concatenate to the input. A cut never falls inside a UTF-8 sequence, nor inside a user-perceived
/// character (an emoji with modifiers, a letter with accents) unless that character alone exceeds the limit.
/// A cut prefers to follow a line break, when one lies in the second half of the part, so that lines stay whole
/// without producing many short parts (each part is one request against the robot's 20-per-minute quota).
/// </summary>
internal static class Utf8ContentSplitter
{
    /// <summary>The longest UTF-8 sequence: a limit below it could not hold every character.</summary>
    public const int MinMaxBytes = 4;

    /// <summary>The parts of <paramref name="content"/>; a single part (possibly empty) when it already fits.</summary>
    public static IReadOnlyList<string> Split(string content, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, MinMaxBytes);
        if (Encoding.UTF8.GetByteCount(content) <= maxBytes)
        {
            return [content];
        }

        var parts = new List<string>();
        for (var start = 0; start < content.Length;)
        {
            var end = PartEnd(content, start, maxBytes);
            parts.Add(content[start..end]);
            start = end;
        }

        return parts;
    }

    public static int ByteCount(string text) => Encoding.UTF8.GetByteCount(text);

    // The end (exclusive) of the part that starts at `start`.
    private static int PartEnd(string content, int start, int maxBytes)
    {
        var bytes = 0;
        var index = start;
        var afterLineBreak = -1;
        while (index < content.Length)
        {
            var length = StringInfo.GetNextTextElementLength(content.AsSpan(index));
            var elementBytes = Encoding.UTF8.GetByteCount(content.AsSpan(index, length));
            if (bytes + elementBytes > maxBytes)
            {
                if (index == start)
                {
                    return start + RunePrefixLength(content.AsSpan(start, length), maxBytes);
                }

                return afterLineBreak > 0 ? afterLineBreak : index;
            }

            bytes += elementBytes;
            index += length;
            if (content[index - 1] == '\n' && bytes * 2 >= maxBytes)
            {
                afterLineBreak = index;
            }
        }

        return index;
    }

    // For one character cluster larger than the limit: as many whole runes as fit (at least one, as maxBytes >= 4).
    private static int RunePrefixLength(ReadOnlySpan<char> cluster, int maxBytes)
    {
        var bytes = 0;
        var chars = 0;
        foreach (var rune in cluster.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            chars += rune.Utf16SequenceLength;
        }

        return chars;
    }
}
