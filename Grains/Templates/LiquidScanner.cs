namespace Notify.Grains.Templates;

internal enum LiquidTokenKind
{
    Text,
    /// <summary><c>{{ … }}</c></summary>
    Output,
    /// <summary><c>{% … %}</c></summary>
    Tag,
}

/// <summary>One piece of a template source, with where it starts so errors can name a line and column.</summary>
/// <param name="Markup">Inside the delimiters, whitespace-control dashes and spaces trimmed (empty for text).</param>
internal sealed record LiquidToken(LiquidTokenKind Kind, int Start, int Length, string Source, string Markup)
{
    /// <summary>A tag's name (<c>if</c>, <c>endfor</c>…), or empty.</summary>
    public string TagName => Kind == LiquidTokenKind.Tag ? FirstWord(Markup) : "";

    /// <summary>A tag's arguments after its name.</summary>
    public string TagArguments => Kind == LiquidTokenKind.Tag ? Markup[TagName.Length..].Trim() : "";

    private static string FirstWord(string markup)
    {
        var end = 0;
        while (end < markup.Length && !char.IsWhiteSpace(markup[end]))
        {
            end++;
        }

        return markup[..end];
    }
}

/// <summary>Where a scan stopped: an unterminated <c>{{</c> or <c>{%</c>, or an unclosed raw/comment block.</summary>
internal sealed record LiquidScanError(int Position, string Message);

/// <summary>
/// Splits a Liquid source into text, output and tag tokens, keeping offsets: for translating placeholders in text only, for
/// the limits checked before parsing, and for pinning errors to the tag a reader wrote. The bodies of <c>raw</c> and <c>comment</c> blocks are kept as text: Liquid does not
/// interpret them and placeholders inside them are not translated.
/// </summary>
internal static class LiquidScanner
{
    public static (IReadOnlyList<LiquidToken> Tokens, LiquidScanError? Error) Scan(string source)
    {
        var tokens = new List<LiquidToken>();
        var position = 0;
        var textStart = 0;
        while (position < source.Length)
        {
            var open = NextDelimiter(source, position);
            if (open < 0)
            {
                break;
            }

            var isTag = source[open + 1] == '%';
            var close = source.IndexOf(isTag ? "%}" : "}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                return (tokens, new LiquidScanError(open, isTag ? "'{%' is not closed with '%}'" : "'{{' is not closed with '}}'"));
            }

            AddText(tokens, source, textStart, open);
            var end = close + 2;
            var token = new LiquidToken(isTag ? LiquidTokenKind.Tag : LiquidTokenKind.Output, open, end - open, source[open..end], Inner(source, open + 2, close));
            tokens.Add(token);
            position = end;
            textStart = end;

            if (token.TagName is "raw" or "comment")
            {
                var endName = "end" + token.TagName;
                var (closing, closingEnd) = FindEndTag(source, end, endName);
                if (closing < 0)
                {
                    return (tokens, new LiquidScanError(open, $"'{token.TagName}' is never closed with '{{% {endName} %}}'"));
                }

                AddText(tokens, source, end, closing);
                tokens.Add(new LiquidToken(LiquidTokenKind.Tag, closing, closingEnd - closing, source[closing..closingEnd], endName));
                position = closingEnd;
                textStart = closingEnd;
            }
        }

        AddText(tokens, source, textStart, source.Length);
        return (tokens, null);
    }

    /// <summary>Where the innermost <paramref name="block"/> still open at <paramref name="position"/> starts, or -1.</summary>
    public static int OpenBlockBefore(string source, string block, int position)
    {
        var open = new Stack<int>();
        foreach (var token in Scan(source).Tokens.TakeWhile(t => t.Start < position))
        {
            if (token.TagName == block)
            {
                open.Push(token.Start);
            }
            else if (token.TagName == "end" + block && open.Count > 0)
            {
                open.Pop();
            }
        }

        return open.Count > 0 ? open.Peek() : -1;
    }

    /// <summary>The opening of the tag or output <paramref name="position"/> lies in, or <paramref name="position"/> in text.</summary>
    public static int TagStart(string source, int position)
    {
        var before = source[..Math.Clamp(position, 0, source.Length)];
        var opened = Math.Max(before.LastIndexOf("{%", StringComparison.Ordinal), before.LastIndexOf("{{", StringComparison.Ordinal));
        var closed = Math.Max(before.LastIndexOf("%}", StringComparison.Ordinal), before.LastIndexOf("}}", StringComparison.Ordinal));
        return opened > closed ? opened : position;
    }

    /// <summary>1-based line and column (UTF-16 units) of <paramref name="position"/>.</summary>
    public static (int Line, int Column) LineAndColumn(string source, int position)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, position - lineStart + 1);
    }

    private static int NextDelimiter(string source, int from)
    {
        for (var i = source.IndexOf('{', from); i >= 0 && i < source.Length - 1; i = source.IndexOf('{', i + 1))
        {
            if (source[i + 1] is '{' or '%')
            {
                return i;
            }
        }

        return -1;
    }

    private static (int Start, int End) FindEndTag(string source, int from, string endName)
    {
        for (var open = source.IndexOf("{%", from, StringComparison.Ordinal); open >= 0; open = source.IndexOf("{%", open + 2, StringComparison.Ordinal))
        {
            var close = source.IndexOf("%}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                return (-1, -1);
            }

            if (Inner(source, open + 2, close) == endName)
            {
                return (open, close + 2);
            }
        }

        return (-1, -1);
    }

    private static string Inner(string source, int start, int end) => source[start..end].Trim().Trim('-').Trim();

    private static void AddText(List<LiquidToken> tokens, string source, int start, int end)
    {
        if (end > start)
        {
            tokens.Add(new LiquidToken(LiquidTokenKind.Text, start, end - start, source[start..end], ""));
        }
    }
}
