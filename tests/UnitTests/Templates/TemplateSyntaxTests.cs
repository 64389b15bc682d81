using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

public sealed class TemplateSyntaxTests
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
        Assert.Null(TemplateEngine.Parse(source).Error);

    [Theory]
    // Fluid's messages; an error inside a tag or output is pinned to its opening.
    [InlineData("line one\n  {{ name ", 2, 3, "End of tag '}}' was expected")]
    [InlineData("{% if a %}\nx", 1, 1, "'if' is never closed with '{% endif %}'")]
    [InlineData("{% if a %}{% endif %}\n {% if b %}{% for i in x %}{% endfor %}", 2, 2, "'if' is never closed")]
    [InlineData("a\nb {% endif %}", 2, 3, "Unknown tag 'endif'")]
    [InlineData("{% for i in x %}{% endif %}", 1, 1, "'for' is never closed")]
    [InlineData("ok\n\n   {% frobnicate %}", 3, 4, "Unknown tag 'frobnicate'")]
    [InlineData("{% for %}{% endfor %}", 1, 1, "Invalid 'for' tag")]
    [InlineData("{% if a %}{% when 1 %}{% endif %}", 1, 1, "'if' is never closed")]
    [InlineData("{% else %}", 1, 1, "Unknown tag 'else'")]
    [InlineData("{% raw %}never closed", 1, 1, "{% raw %}")]
    // Placeholders before the error do not shift its column.
    [InlineData("${a}${bb} {% frob %}", 1, 11, "Unknown tag 'frob'")]
    [InlineData("${a}\n${a}{{ a | }}", 2, 5, "was expected")]
    // Unknown filters (Fluid would pass the input through), pinned to the tag using them.
    [InlineData("{{ a | upcasee }}", 1, 1, "unknown filter 'upcasee'")]
    [InlineData("x {% assign y = a | nofilter %}", 1, 3, "unknown filter 'nofilter'")]
    // Files, layouts and the multi-statement tag are not part of notification templates.
    [InlineData("{% include 'x' %}", 1, 1, "the 'include' tag is not allowed")]
    [InlineData("{% render 'x' %}", 1, 1, "the 'render' tag is not allowed")]
    [InlineData("{% liquid assign a = 1 %}", 1, 1, "the 'liquid' tag is not allowed")]
    [InlineData("{% extends 'x' %}", 1, 1, "the 'extends' tag is not allowed")]
    // What Fluid's recursion could not survive is refused before parsing.
    [InlineData("{{ a | upcase | upcase }}", 0, 0, null)]
    public void Check_BrokenSource_ReportsLineAndColumn(string source, int line, int column, string? message)
    {
        var error = TemplateEngine.Parse(source).Error;
        if (message is null)
        {
            Assert.Null(error);
            return;
        }

        Assert.NotNull(error);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(100, null)]
    [InlineData(101, "more than 100 filters in one expression")]
    public void Check_FilterChain_IsBounded(int filters, string? message) =>
        Assert.Equal(message, TemplateEngine.Parse("{{ a" + string.Concat(Enumerable.Repeat(" | upcase", filters)) + " }}").Error?.Message);

    [Theory]
    [InlineData(16, null)]
    [InlineData(17, "brackets are nested more than 16 deep")]
    public void Check_BracketNesting_IsBounded(int depth, string? message) =>
        Assert.Equal(message, TemplateEngine.Parse("{{ a" + string.Concat(Enumerable.Repeat("[a", depth)) + new string(']', depth) + " }}").Error?.Message);

    [Fact]
    public void Check_ThousandsOfNestedBlocks_IsRefusedWithoutParsing()
    {
        // Thousands of levels overflow Fluid's recursive parser: the process would end, not the request.
        var source = string.Concat(Enumerable.Repeat("{% if a %}", 4000)) + string.Concat(Enumerable.Repeat("{% endif %}", 4000));
        Assert.Contains("nested more than", TemplateEngine.Parse(source).Error!.Message);
    }

    [Fact]
    public void Check_NestingDeeperThanLimit_IsRefused()
    {
        var depth = TemplateLimits.MaxBlockNesting + 1;
        var source = string.Concat(Enumerable.Repeat("{% if a %}", depth)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", depth));
        var error = TemplateEngine.Parse(source).Error;
        Assert.NotNull(error);
        Assert.Contains("nested more than", error.Message);
        Assert.Null(TemplateEngine.Parse(string.Concat(Enumerable.Repeat("{% if a %}", depth - 1)) + string.Concat(Enumerable.Repeat("{% endif %}", depth - 1))).Error);
    }
}

public sealed class TemplateSyntaxPropertyTests
{
    private static readonly string[] Fragments =
    [
        "{{", "}}", "{%", "%}", " ", "x", "${a}", "#{b}", "'", "\"", "|", "upcase", "append: 'z'", "default:", ":", ",", "..", "(1..3)",
        "if a", "elsif b", "else", "endif", "for i in (1..3)", "endfor", "case a", "when 1", "endcase", "unless a", "endunless",
        "capture c", "endcapture", "assign v = a | upcase", "raw", "endraw", "comment", "endcomment", "break", "continue",
        "cycle 'p', 'q'", "increment n", "include 'f'", "placeholder \"a\"", "tablerow t in (1..2)", "endtablerow", "ifchanged", "endifchanged", "\n", "-", "==", "and", "or", "contains", "[", "]", "forloop.index", "a.b",
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
            if (TemplateEngine.Parse(source).Error is not null)
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
