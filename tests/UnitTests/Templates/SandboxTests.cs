using DotLiquid;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

/// <summary>
/// Templates that try to hang or exhaust a silo. Run alone: the render deadline is wall-clock, and a starved test thread
/// would only make these slower.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxTests
{
    private static readonly Dictionary<string, string> Params = new() { ["tenThousand"] = new string('x', 10_000) };

    private static readonly string[] SandboxReasons = ["rendering took longer than", "iterations", "characters", "items"];

    private static string Render(string source) =>
        TemplateRenderer.Render(TemplateRenderer.CompileUncached(source), Params, htmlEscape: false, "body").Text;

    [Theory]
    // Nested loops: each loop is under the iteration limit, together they are a billion steps.
    [InlineData("{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}")]
    // One long loop or a huge range.
    [InlineData("{% for a in (1..100000000) %}x{% endfor %}")]
    [InlineData("{{ (1..100000000) | size }}")]
    // Doubling a string through capture, append or replace; doubling a list through concat.
    [InlineData("{% assign s = tenThousand %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}")]
    [InlineData("{% assign s = tenThousand %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}")]
    [InlineData("{% assign s = tenThousand %}{% for i in (1..40) %}{% assign s = s | replace: 'x', 'xx' %}{% endfor %}{{ s | size }}")]
    [InlineData("{% assign l = 'a,b' | split: ',' %}{% for i in (1..40) %}{% assign l = l | concat: l %}{% endfor %}{{ l | size }}")]
    // Plain huge output: 10 million characters asked for.
    [InlineData("{% for a in (1..1000) %}{{ tenThousand }}{% endfor %}")]
    public void Render_Bomb_IsStoppedBySandbox(string source)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var exception = Assert.Throws<TemplateRenderException>(() => Render(source));
        Assert.Contains(SandboxReasons, r => exception.Reason.Contains(r));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}");
    }

    [Fact]
    public void Render_EndlessLoopWithoutOutput_IsStoppedByTheDeadline()
    {
        // No output and every loop under the iteration limit: only the clock can stop this one.
        var exception = Assert.Throws<TemplateRenderException>(() =>
            Render("{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}{% assign z = c %}{% endfor %}{% endfor %}{% endfor %}"));
        Assert.Equal($"rendering took longer than {TemplateLimits.RenderTimeoutMilliseconds} ms", exception.Reason);
    }

    [Theory]
    [InlineData("{% for a in (1..1001) %}x{% endfor %}")]
    [InlineData("{{ (1..1001) | size }}")]
    public void Render_PastIterationLimit_IsStopped(string source) =>
        Assert.Contains("iterations", Assert.Throws<TemplateRenderException>(() => Render(source)).Reason);

    [Fact]
    public void Render_AtIterationLimit_Works() =>
        Assert.Equal("1000", Render("{{ (1..1000) | size }}"));

    public static TheoryData<string, Func<object?>> Growth() => new()
    {
        { "append", () => GuardedFilters.Append(Half(), Half() + "x") },
        { "prepend", () => GuardedFilters.Prepend(Half(), Half() + "x") },
        { "replace", () => GuardedFilters.Replace(new Context(System.Globalization.CultureInfo.InvariantCulture), Half(), "x", "xxx") },
        { "replace_first", () => GuardedFilters.ReplaceFirst(new Context(System.Globalization.CultureInfo.InvariantCulture), Half() + Half() + "y", "y", "yy") },
        { "join", () => GuardedFilters.Join(new[] { Half(), Half() }, "x") },
        { "concat", () => GuardedFilters.Concat(Enumerable.Range(0, 600).ToArray(), Enumerable.Range(0, 401).ToArray()) },
    };

    [Theory]
    [MemberData(nameof(Growth))]
    public void GuardedFilter_PastSizeLimit_Refuses(string filter, Func<object?> grow)
    {
        var exception = Assert.Throws<RenderLimitExceededException>(grow);
        Assert.StartsWith(filter, exception.Message);
    }

    [Fact]
    public void GuardedFilters_AtSizeLimit_Work()
    {
        Assert.Equal(TemplateLimits.MaxRenderedLength, GuardedFilters.Append(Half(), Half())!.Length);
        Assert.Equal(TemplateLimits.MaxRenderedLength, GuardedFilters.Join(new[] { Half(), Half()[1..] }, "x")!.Length);
        Assert.Equal(1000, GuardedFilters.Concat(Enumerable.Range(0, 600).ToArray(), Enumerable.Range(0, 400).ToArray())!.Cast<object>().Count());
        Assert.Equal("ab-cd", GuardedFilters.Replace(new Context(System.Globalization.CultureInfo.InvariantCulture), "ab cd", " ", "-"));
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

    private static string Half() => new('x', TemplateLimits.MaxRenderedLength / 2);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox, alone";
}
