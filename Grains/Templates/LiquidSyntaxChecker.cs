using DotLiquid;
using DotLiquid.Exceptions;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>A template that cannot be parsed, and where.</summary>
public sealed record TemplateSyntaxError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

/// <summary>
/// Decides whether a template source may be saved, and where it is wrong: walks the tokens (block matching, nesting depth,
/// allowed tags, known filters) and parses each tag and output on its own so DotLiquid's message can be pinned to a line and
/// column; a whole-template parse has the last word.
/// </summary>
internal static class LiquidSyntaxChecker
{
    private static readonly HashSet<string> Blocks = ["if", "unless", "case", "for", "capture", "tablerow", "ifchanged", "raw", "comment"];
    private static readonly HashSet<string> SimpleTags = ["assign", "cycle", "increment", "decrement", "break", "continue"];
    private static readonly HashSet<string> DisallowedTags = ["include", "extends", "block", "param", "literal"];

    private static readonly Dictionary<string, string[]> Branches = new()
    {
        ["if"] = ["elsif", "else"],
        ["unless"] = ["elsif", "else"],
        ["case"] = ["when", "else"],
        ["for"] = ["else"],
    };

    /// <summary>The first error in <paramref name="source"/> (BK-CI placeholders allowed), or null when it parses.</summary>
    public static TemplateSyntaxError? Check(string source)
    {
        var (tokens, scanError) = LiquidScanner.Scan(source);
        if (scanError is not null)
        {
            return At(source, scanError.Position, scanError.Message);
        }

        var open = new Stack<LiquidToken>();
        foreach (var token in tokens)
        {
            var problem = token.Kind switch
            {
                LiquidTokenKind.Output => CheckExpression(token.Markup) ?? ParseError(token.Source),
                LiquidTokenKind.Tag => CheckTag(token, open),
                _ => null,
            };
            if (problem is not null)
            {
                return At(source, token.Start, problem);
            }
        }

        if (open.Count > 0)
        {
            var unclosed = open.Peek();
            return At(source, unclosed.Start, $"'{unclosed.TagName}' is never closed with '{{% end{unclosed.TagName} %}}'");
        }

        return ParseError(PlaceholderTranslator.Translate(source)) is { } whole ? At(source, source.Length, whole) : null;
    }

    private static string? CheckTag(LiquidToken token, Stack<LiquidToken> open)
    {
        var name = token.TagName;
        if (name.Length == 0)
        {
            return "empty tag";
        }

        if (name.StartsWith("end", StringComparison.Ordinal) && Blocks.Contains(name[3..]))
        {
            if (open.Count == 0)
            {
                return $"'{name}' closes nothing";
            }

            if (open.Peek().TagName != name[3..])
            {
                return $"'{name}' cannot close '{open.Peek().TagName}'";
            }

            open.Pop();
            return token.TagArguments.Length > 0 ? $"'{name}' takes no arguments" : null;
        }

        if (Blocks.Contains(name))
        {
            open.Push(token);
            if (open.Count > TemplateLimits.MaxBlockNesting)
            {
                return $"blocks are nested more than {TemplateLimits.MaxBlockNesting} deep";
            }

            return name is "raw" or "comment" ? null : ParseError($"{token.Source}{{% end{name} %}}");
        }

        if (name is "else" or "elsif" or "when")
        {
            var parent = open.Count > 0 ? open.Peek().TagName : "";
            if (!Branches.TryGetValue(parent, out var allowed) || !allowed.Contains(name))
            {
                return parent.Length == 0 ? $"'{name}' outside of a block" : $"'{name}' is not allowed inside '{parent}'";
            }

            return name == "else" ? (token.TagArguments.Length > 0 ? "'else' takes no arguments" : null)
                : parent == "case" ? ParseError($"{{% case 1 %}}{token.Source}{{% endcase %}}")
                : CheckExpression(token.TagArguments) ?? ParseError($"{{% if true %}}{token.Source}{{% endif %}}");
        }

        if (SimpleTags.Contains(name))
        {
            var assigned = name == "assign" && token.TagArguments.IndexOf('=') is var eq and >= 0 ? token.TagArguments[(eq + 1)..] : null;
            return (assigned is null ? null : CheckExpression(assigned)) ?? ParseError(token.Source);
        }

        return DisallowedTags.Contains(name)
            ? $"the '{name}' tag is not allowed in notification templates"
            : $"unknown tag '{name}'";
    }

    /// <summary>Unknown filters render as no-ops in DotLiquid; a typo is better caught when saving.</summary>
    private static string? CheckExpression(string markup)
    {
        try
        {
            var unknown = new Variable(markup).Filters.Select(f => f.Name).FirstOrDefault(f => !LiquidSandbox.KnownFilters.Contains(f));
            return unknown is null ? null : $"unknown filter '{unknown}'";
        }
        catch (Exception exception) when (IsParseFailure(exception))
        {
            return exception.Message;
        }
    }

    private static string? ParseError(string liquidSource)
    {
        try
        {
            LiquidSandbox.Parse(liquidSource);
            return null;
        }
        catch (Exception exception) when (IsParseFailure(exception))
        {
            return exception.Message;
        }
    }

    private static bool IsParseFailure(Exception exception) => exception switch
    {
        System.Text.RegularExpressions.RegexMatchTimeoutException => true,
        LiquidException or FormatException or OverflowException or InvalidCastException or System.ArgumentException or IndexOutOfRangeException => true,
        _ => false,
    };

    private static TemplateSyntaxError At(string source, int position, string message)
    {
        var (line, column) = LiquidScanner.LineAndColumn(source, position);
        return new TemplateSyntaxError(line, column, message);
    }
}
