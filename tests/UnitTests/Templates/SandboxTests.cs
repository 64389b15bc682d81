using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

/// <summary>
/// Templates that try to hang or exhaust a silo: each ends with a reason, never a hang or an exhausted process. Run alone:
/// one test waits for the render deadline, and a starved test thread would only make the others slower.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxTests
{
    private static readonly Dictionary<string, string> Params = new()
    {
        ["tenThousand"] = new string('x', 10_000),
        ["halfLimit"] = new string('x', TemplateLimits.MaxRenderedLength / 2),
    };

    private static string Render(string source) =>
        TemplateRenderer.Render(TemplateRenderer.CompileUncached(source), Params, htmlEscape: false, "body").Text;

    public static TheoryData<string, string> Bombs() => new()
    {
        // Nested loops: each range is within the limit, together they are a billion steps.
        { "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}", "steps" },
        { "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}{% assign z = c %}{% endfor %}{% endfor %}{% endfor %}", "steps" },
        // A huge range, in a loop or not (Fluid would build the whole list first).
        { "{% for a in (1..100000000) %}x{% endfor %}", "iterations" },
        { "{{ (1..100000000) | size }}", "iterations" },
        { "{% assign n = 2147483647 %}{{ (1..n) | size }}", "iterations" },
        // Doubling a string through capture, append or replace; doubling a list through concat.
        { "{% assign s = tenThousand %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}", "characters" },
        { "{% assign s = tenThousand %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}", "characters" },
        { "{% assign s = tenThousand %}{% for i in (1..40) %}{% assign s = s | replace: 'x', 'xx' %}{% endfor %}{{ s | size }}", "characters" },
        { "{% assign l = 'a,b' | split: ',' %}{% for i in (1..40) %}{% assign l = l | concat: l %}{% endfor %}{{ l | size }}", "items" },
        // Huge output: directly, or buffered by a block that renders into a buffer of its own.
        { "{% for a in (1..1000) %}{{ tenThousand }}{% endfor %}", "characters" },
        { "{% capture c %}{% for a in (1..1000) %}{{ tenThousand }}{% endfor %}{% endcapture %}", "characters" },
        { "{% ifchanged %}{% for a in (1..1000) %}{{ tenThousand }}{% endfor %}{% endifchanged %}", "characters" },
        { "{% tablerow a in (1..1000) %}{{ tenThousand }}{% endtablerow %}", "characters" },
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public void Render_Bomb_IsStoppedWithAReason(string source, string reason)
    {
        var exception = Assert.Throws<TemplateRenderException>(() => Render(source));
        Assert.Equal("body", exception.Field);
        Assert.Contains(reason, exception.Reason);
    }

    [Fact]
    public void Render_ExpensiveStepsWithinTheStepLimit_AreStoppedByTheDeadline()
    {
        // 90,000 steps, each replacing across a million characters: far fewer steps than the limit, far more time than the budget.
        var exception = Assert.Throws<TemplateRenderException>(() =>
            Render("{% for a in (1..1000) %}{% for b in (1..90) %}{% assign s = halfLimit | replace: 'x', 'yy' %}{% endfor %}{% endfor %}"));
        Assert.Equal($"rendering took longer than {TemplateLimits.RenderTimeoutMilliseconds} ms", exception.Reason);
    }

    [Theory]
    [InlineData("{% for a in (1..1001) %}x{% endfor %}")]
    [InlineData("{{ (1..1001) | size }}")]
    [InlineData("{% capture c %}{{ (0..1000) | size }}{% endcapture %}")]
    [InlineData("{% ifchanged %}{{ (0..1000) | size }}{% endifchanged %}")]
    public void Render_RangePastIterationLimit_IsStopped(string source) =>
        Assert.Contains("went past 1000 iterations", Assert.Throws<TemplateRenderException>(() => Render(source)).Reason);

    [Theory]
    [InlineData("{{ (1..1000) | size }}", "1000")]
    [InlineData("[{% for i in (3..1) %}x{% endfor %}]", "[]")]
    [InlineData("{% for i in (-1..1) %}{{ i }}{% endfor %}", "-101")]
    public void Render_RangeWithinLimit_Works(string source, string expected) =>
        Assert.Equal(expected, Render(source));

    [Fact]
    public void Render_AtSizeLimit_Works()
    {
        Assert.Equal(TemplateLimits.MaxRenderedLength.ToString(System.Globalization.CultureInfo.InvariantCulture), Render("{{ halfLimit | append: halfLimit | size }}"));
        Assert.Contains("characters", Assert.Throws<TemplateRenderException>(() => Render("{{ halfLimit | append: halfLimit | append: 'x' | size }}")).Reason);
    }

    [Fact]
    public void BoundedWriter_PastLimit_Refuses()
    {
        using var writer = new BoundedWriter(5);
        writer.Write("abc");
        writer.Write('d');
        Assert.Throws<RenderLimitExceededException>(() => writer.Write("ef"));
        Assert.Equal("abcd", writer.ToString());
    }

    [Fact]
    public void Render_AfterASandboxStop_WorksAgain()
    {
        Assert.Throws<TemplateRenderException>(() => Render("{% for a in (1..1001) %}x{% endfor %}"));
        Assert.Equal("10000", Render("{{ tenThousand | size }}"));
        Assert.Equal("ABC", Render("{{ 'abc' | upcase }}"));
    }

    [Theory]
    // Nothing outside the parameters is reachable: no files, no CLR members of the model.
    [InlineData("[{{ Type }}{{ HtmlEscaped }}{{ Used }}{{ tenThousand.Length }}]", "[]")]
    [InlineData("{{ tenThousand.size }}", "10000")]
    public void Render_OnlyParametersAreVisible(string source, string expected) =>
        Assert.Equal(expected, Render(source));
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox, alone";
}
