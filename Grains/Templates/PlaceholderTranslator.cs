using System.Text;
using System.Text.RegularExpressions;

namespace Notify.Grains.Templates;

/// <summary>
/// Turns BK-CI's placeholders into Liquid once, before parsing: <c>${name}</c> and <c>#{name}</c> in text become
/// <c>{{ ["name"] }}</c> (a flat lookup, so <c>${build.num}</c> reads the parameter named <c>build.num</c>, as BK-CI's string
/// replacement did). <c>{{name}}</c> is Liquid already. Liquid tags and outputs, and raw/comment bodies, are left alone.
/// </summary>
internal static partial class PlaceholderTranslator
{
    /// <summary>A placeholder name: letters (any script), digits, '_', '-', '.'.</summary>
    [GeneratedRegex(@"[$#]\{([\p{L}\p{N}_.\-]{1,64})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>The Liquid source for <paramref name="source"/>; a source with a scan error is returned unchanged (the checker reports it).</summary>
    public static string Translate(string source)
    {
        if (source.IndexOf("${", StringComparison.Ordinal) < 0 && source.IndexOf("#{", StringComparison.Ordinal) < 0)
        {
            return source;
        }

        var (tokens, error) = LiquidScanner.Scan(source);
        if (error is not null)
        {
            return source;
        }

        var result = new StringBuilder(source.Length + 32);
        var opaque = false;
        foreach (var token in tokens)
        {
            if (token.Kind == LiquidTokenKind.Text && !opaque)
            {
                result.Append(Placeholder().Replace(token.Source, m => $"{{{{ [\"{m.Groups[1].Value}\"] }}}}"));
            }
            else
            {
                result.Append(token.Source);
            }

            opaque = token.TagName is "raw" or "comment" || (opaque && token.TagName is not ("endraw" or "endcomment"));
        }

        return result.ToString();
    }
}
