using System.Text;
using System.Text.RegularExpressions;

namespace Notify.Grains.Templates;

/// <summary>
/// Turns BK-CI's placeholders into Liquid once, before parsing: <c>${name}</c> and <c>#{name}</c> in text become
/// <c>{% placeholder "name" %}</c> (a flat lookup, so <c>${build.num}</c> reads the parameter named <c>build.num</c>, as BK-CI's
/// string replacement did). <c>{{name}}</c> is Liquid already. Liquid tags and outputs, and raw/comment bodies, are left alone.
/// </summary>
internal static partial class PlaceholderTranslator
{
    /// <summary>A placeholder name: letters (any script), digits, '_', '-', '.'.</summary>
    [GeneratedRegex(@"[$#]\{([\p{L}\p{N}_.\-]{1,64})\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>The Liquid source for <paramref name="source"/>; a source with a scan error is returned unchanged (the parser reports it).</summary>
    public static TranslatedSource Translate(string source)
    {
        if (source.IndexOf("${", StringComparison.Ordinal) < 0 && source.IndexOf("#{", StringComparison.Ordinal) < 0)
        {
            return new TranslatedSource(source, source, []);
        }

        var (tokens, error) = LiquidScanner.Scan(source);
        if (error is not null)
        {
            return new TranslatedSource(source, source, []);
        }

        var result = new StringBuilder(source.Length + 32);
        var replacements = new List<TranslatedSource.Replacement>();
        var opaque = false;
        foreach (var token in tokens)
        {
            if (token.Kind == LiquidTokenKind.Text && !opaque)
            {
                var copied = 0;
                foreach (Match match in Placeholder().Matches(token.Source))
                {
                    result.Append(token.Source, copied, match.Index - copied);
                    var liquid = $"{{% {TemplateEngine.PlaceholderTag} \"{match.Groups[1].Value}\" %}}";
                    replacements.Add(new(result.Length, liquid.Length, token.Start + match.Index, match.Length));
                    result.Append(liquid);
                    copied = match.Index + match.Length;
                }

                result.Append(token.Source, copied, token.Source.Length - copied);
            }
            else
            {
                result.Append(token.Source);
            }

            opaque = token.TagName is "raw" or "comment" || (opaque && token.TagName is not ("endraw" or "endcomment"));
        }

        return new TranslatedSource(source, result.ToString(), replacements);
    }
}

/// <summary>A template source and the Liquid it was translated into, with where each placeholder went (to report errors in the source's terms).</summary>
internal sealed record TranslatedSource(string Source, string Liquid, IReadOnlyList<TranslatedSource.Replacement> Replacements)
{
    /// <summary>A placeholder at <paramref name="SourceStart"/> that became <paramref name="LiquidLength"/> characters at <paramref name="LiquidStart"/>.</summary>
    internal sealed record Replacement(int LiquidStart, int LiquidLength, int SourceStart, int SourceLength);

    /// <summary>The source offset of <paramref name="liquidOffset"/>; inside a translated placeholder, the placeholder's start.</summary>
    public int SourceOffset(int liquidOffset)
    {
        var shift = 0;
        foreach (var replacement in Replacements)
        {
            if (liquidOffset < replacement.LiquidStart)
            {
                break;
            }

            if (liquidOffset < replacement.LiquidStart + replacement.LiquidLength)
            {
                return replacement.SourceStart;
            }

            shift += replacement.LiquidLength - replacement.SourceLength;
        }

        return liquidOffset - shift;
    }

    /// <summary>An error at <paramref name="liquidOffset"/>; one inside a tag or output is reported at its opening, where a reader looks.</summary>
    public TemplateSyntaxError ErrorAt(int liquidOffset, string message)
    {
        var offset = SourceOffset(Math.Clamp(liquidOffset, 0, Liquid.Length));
        var (line, column) = LiquidScanner.LineAndColumn(Source, LiquidScanner.TagStart(Source, offset));
        return new TemplateSyntaxError(line, column, message);
    }

    /// <summary>An error Fluid reported by 1-based line and column of the Liquid.</summary>
    public TemplateSyntaxError ErrorAt(int liquidLine, int liquidColumn, string message)
    {
        var offset = 0;
        for (var line = 1; line < liquidLine && offset < Liquid.Length; line++)
        {
            var next = Liquid.IndexOf('\n', offset);
            offset = next < 0 ? Liquid.Length : next + 1;
        }

        return ErrorAt(offset + liquidColumn - 1, message);
    }
}
