using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

public sealed class LiquidSyntaxCheckerTests
{
    [Theory]
    [InlineData("hello ${name}")]
    [InlineData("{% if a %}x{% elsif b %}y{% else %}z{% endif %}")]
    [InlineData("{% for i in items %}{{ i | upcase }}{% else %}none{% endfor %}")]
    [InlineData("{% case s %}{% when 'a' %}A{% else %}B{% endcase %}")]
    [InlineData("{% capture c %}{{ a }}{% endcapture %}{{ c }}")]
    [InlineData("{%- assign x = a | append: 'b' -%}{{ x }}")]
    [InlineData("{% raw %}{% nonsense {{ %}{% endraw %}")]
    public void Check_ValidSource_HasNoError(string source) =>
        Assert.Null(LiquidSyntaxChecker.Check(source));

    [Theory]
    // Unterminated output, pinned to its opening.
    [InlineData("line one\n  {{ name ", 2, 3, "'{{' is not closed")]
    [InlineData("{% if a %}\nx", 1, 1, "'if' is never closed")]
    [InlineData("a\nb {% endif %}", 2, 3, "'endif' closes nothing")]
    [InlineData("{% for i in x %}{% endif %}", 1, 17, "'endif' cannot close 'for'")]
    [InlineData("ok\n\n   {% frobnicate %}", 3, 4, "unknown tag 'frobnicate'")]
    [InlineData("{{ a | upcasee }}", 1, 1, "unknown filter 'upcasee'")]
    [InlineData("x {% assign y = a | nofilter %}", 1, 3, "unknown filter 'nofilter'")]
    [InlineData("{% for %}{% endfor %}", 1, 1, "Syntax Error in 'for' tag")]
    [InlineData("{% if a %}{% when 1 %}{% endif %}", 1, 11, "'when' is not allowed inside 'if'")]
    [InlineData("{% else %}", 1, 1, "'else' outside of a block")]
    [InlineData("{% include 'x' %}", 1, 1, "'include' tag is not allowed")]
    [InlineData("{% extends 'x' %}", 1, 1, "'extends' tag is not allowed")]
    [InlineData("{% raw %}never closed", 1, 1, "'raw' is never closed")]
    public void Check_BrokenSource_ReportsLineAndColumn(string source, int line, int column, string message)
    {
        var error = LiquidSyntaxChecker.Check(source);
        Assert.NotNull(error);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Check_NestingDeeperThanLimit_IsRefused()
    {
        var depth = TemplateLimits.MaxBlockNesting + 1;
        var source = string.Concat(Enumerable.Repeat("{% if a %}", depth)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", depth));
        var error = LiquidSyntaxChecker.Check(source);
        Assert.NotNull(error);
        Assert.Contains("nested more than", error.Message);
        Assert.Null(LiquidSyntaxChecker.Check(string.Concat(Enumerable.Repeat("{% if a %}", depth - 1)) + string.Concat(Enumerable.Repeat("{% endif %}", depth - 1))));
    }
}

public sealed class LiquidSyntaxCheckerPropertyTests
{
    private static readonly string[] Fragments =
    [
        "{{", "}}", "{%", "%}", " ", "x", "${a}", "#{b}", "'", "\"", "|", "upcase", "append: 'z'", "default:", ":", ",", "..", "(1..3)",
        "if a", "elsif b", "else", "endif", "for i in (1..3)", "endfor", "case a", "when 1", "endcase", "unless a", "endunless",
        "capture c", "endcapture", "assign v = a | upcase", "raw", "endraw", "comment", "endcomment", "break", "continue",
        "cycle 'p', 'q'", "increment n", "include 'f'", "\n", "-", "==", "and", "or", "contains", "[", "]", "forloop.index", "a.b",
    ];

    /// <summary>Whatever a caller writes, checking never throws, and what it accepts compiles and renders (or stops cleanly).</summary>
    [Fact]
    public void Check_RandomSource_AcceptedOnesCompileAndRender()
    {
        var random = new Random(4242);
        var parameters = new Dictionary<string, string> { ["a"] = "1", ["b"] = "two" };
        var accepted = 0;
        for (var round = 0; round < 3000; round++)
        {
            var source = string.Concat(Enumerable.Range(0, random.Next(1, 24)).Select(_ => Fragments[random.Next(Fragments.Length)]));
            if (LiquidSyntaxChecker.Check(source) is not null)
            {
                continue;
            }

            accepted++;
            var compiled = TemplateRenderer.CompileUncached(source);
            try
            {
                TemplateRenderer.Render(compiled, parameters, htmlEscape: round % 2 == 0, "body");
            }
            catch (TemplateRenderException)
            {
                // A clean, reported stop (a filter refusing its input) is an allowed outcome.
            }
        }

        Assert.True(accepted > 100, $"only {accepted} random sources were accepted; the generator is too hostile to test anything");
    }
}
