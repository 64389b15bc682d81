using System.Globalization;

namespace Notify.Grains.Templates;

/// <summary>Cuts text to a length without breaking a character: never inside a surrogate pair or a grapheme (emoji with modifiers, combining marks).</summary>
public static class TextTruncation
{
    public const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="maxLength"/> UTF-16 characters; otherwise the longest prefix of
    /// whole text elements that leaves room for <see cref="Ellipsis"/>, followed by it.
    /// </summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, Ellipsis.Length);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var budget = maxLength - Ellipsis.Length;
        var cut = 0;
        while (cut < text.Length)
        {
            var next = cut + StringInfo.GetNextTextElementLength(text, cut);
            if (next > budget)
            {
                break;
            }

            cut = next;
        }

        return string.Concat(text.AsSpan(0, cut), Ellipsis);
    }
}
