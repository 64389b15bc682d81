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
