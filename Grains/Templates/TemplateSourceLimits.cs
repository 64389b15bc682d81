using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>
/// What a source may contain before it is handed to Fluid, whose parser and renderer recurse once per level of block
/// nesting, filter chaining and bracket nesting (a few thousand levels overflow the stack, which ends the process): blocks
/// nested at most <see cref="TemplateLimits.MaxBlockNesting"/> deep, at most <see cref="TemplateLimits.MaxFiltersPerExpression"/>
/// filters in one tag or output, brackets nested at most <see cref="TemplateLimits.MaxBlockNesting"/> deep.
/// </summary>
internal static class TemplateSourceLimits
{
    private static readonly HashSet<string> Blocks = ["if", "unless", "case", "for", "capture", "tablerow", "ifchanged", "raw", "comment"];

    /// <summary>The first limit <paramref name="source"/> breaks, or null (a source that does not scan is left for the parser to report).</summary>
    public static TemplateSyntaxError? Check(string source)
    {
        var (tokens, scanError) = LiquidScanner.Scan(source);
        if (scanError is not null)
        {
            return null;
        }

        var depth = 0;
        foreach (var token in tokens)
        {
            if (token.Kind == LiquidTokenKind.Text)
            {
                continue;
            }

            var name = token.TagName;
            if (Blocks.Contains(name) && ++depth > TemplateLimits.MaxBlockNesting)
            {
                return At(source, token.Start, $"blocks are nested more than {TemplateLimits.MaxBlockNesting} deep");
            }

            if (name.StartsWith("end", StringComparison.Ordinal) && Blocks.Contains(name[3..]) && depth > 0)
            {
                depth--;
            }

            if (ExpressionProblem(token.Markup) is { } problem)
            {
                return At(source, token.Start, problem);
            }
        }

        return null;
    }

    /// <summary>Counts every '|' and bracket, even inside string literals: a conservative bound, far above what templates use.</summary>
    private static string? ExpressionProblem(string markup)
    {
        var filters = 0;
        var brackets = 0;
        foreach (var c in markup)
        {
            if (c == '|' && ++filters > TemplateLimits.MaxFiltersPerExpression)
            {
                return $"more than {TemplateLimits.MaxFiltersPerExpression} filters in one expression";
            }

            if (c is '[' or '(' && ++brackets > TemplateLimits.MaxBlockNesting)
            {
                return $"brackets are nested more than {TemplateLimits.MaxBlockNesting} deep";
            }

            if (c is ']' or ')' && brackets > 0)
            {
                brackets--;
            }
        }

        return null;
    }

    private static TemplateSyntaxError At(string source, int position, string message)
    {
        var (line, column) = LiquidScanner.LineAndColumn(source, position);
        return new TemplateSyntaxError(line, column, message);
    }
}
