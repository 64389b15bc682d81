using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

public sealed class TemplateRendererTests
{
    private static readonly Dictionary<string, string> Params = new()
    {
        ["projectName"] = "demo",
        ["status"] = "成功",
        ["buildNum"] = "42",
        ["build.num"] = "43",
        ["items"] = "a,b,c",
        ["html"] = "<b>\"x\" & 'y'</b>",
        ["tenThousand"] = new string('x', 10_000),
    };

    private static string Render(string source, bool html = false) =>
        TemplateRenderer.Render(TemplateRenderer.CompileUncached(source), Params, html, "body").Text;

    [Theory]
    // The seed's title: BK-CI placeholders.
    [InlineData("【BK-CI】${projectName} 流水线构建${status}", "【BK-CI】demo 流水线构建成功")]
    [InlineData("#{buildNum}", "42")]
    [InlineData("{{buildNum}}", "42")]
    [InlineData("{{ buildNum }}", "42")]
    [InlineData("${build.num}", "43")]
    // Placeholders and Liquid side by side.
    [InlineData("${projectName}-{{ projectName | upcase }}", "demo-DEMO")]
    // Filters.
    [InlineData("{{ projectName | append: '!' | prepend: '>' }}", ">demo!")]
    [InlineData("{{ missing | default: 'n/a' }}", "n/a")]
    [InlineData("{{ buildNum | plus: 1 }}", "43")]
    [InlineData("{{ items | split: ',' | join: '+' }}", "a+b+c")]
    [InlineData("{{ items | replace: ',', ';' }}", "a;b;c")]
    [InlineData("{{ 'abcdef' | truncate: 4 }}", "a...")]
    // if / elsif / else, unless, case.
    [InlineData("{% if status == '成功' %}ok{% else %}ko{% endif %}", "ok")]
    [InlineData("{% if missing %}yes{% elsif buildNum %}elsif{% endif %}", "elsif")]
    [InlineData("{% unless missing %}shown{% endunless %}", "shown")]
    [InlineData("{% case buildNum %}{% when '42' %}answer{% else %}other{% endcase %}", "answer")]
    // for, with forloop and a range.
    [InlineData("{% assign parts = items | split: ',' %}{% for p in parts %}{{ forloop.index }}[{{ p }}]{% endfor %}", "1[a]2[b]3[c]")]
    [InlineData("{% for i in (1..3) %}{{ i }}{% endfor %}", "123")]
    // capture and assign.
    [InlineData("{% capture c %}{{ projectName }}#{{ buildNum }}{% endcapture %}{{ c }}", "demo#42")]
    // A missing variable renders empty.
    [InlineData("[${nobody}]", "[]")]
    public void Render_Source_ProducesText(string source, string expected) =>
        Assert.Equal(expected, Render(source));

    [Theory]
    // HTML e-mail bodies get every parameter escaped, however it is written.
    [InlineData("<p>${html}</p>", true, "<p>&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;</p>")]
    [InlineData("<p>{{ html }}</p>", true, "<p>&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;</p>")]
    // An explicit escape does not escape twice.
    [InlineData("{{ html | escape }}", true, "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;")]
    [InlineData("{{ html | h }}", true, "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;")]
    // The template's own markup is kept.
    [InlineData("<b>${projectName}</b>", true, "<b>demo</b>")]
    // TEXT and markdown are not escaped.
    [InlineData("${html}", false, "<b>\"x\" & 'y'</b>")]
    [InlineData("{{ html | escape }}", false, "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;")]
    public void Render_HtmlOrText_EscapesOnlyHtml(string source, bool html, string expected) =>
        Assert.Equal(expected, Render(source, html));

    [Fact]
    public void Render_MissingVariables_AreReportedWithTheUsedOnes()
    {
        var rendered = TemplateRenderer.Render(
            TemplateRenderer.CompileUncached("${projectName} {{ nobody }} {% if absent %}x{% endif %}{% assign own = 'v' %}{{ own }}{% for i in (1..2) %}{{ i }}{% endfor %}"),
            Params, htmlEscape: false, "body");
        Assert.Equal(["absent", "nobody"], rendered.Missing.Order());
        Assert.Equal(["absent", "nobody", "projectName"], rendered.Used.Order());
    }

    [Fact]
    public void Render_AfterAnotherRender_SeesNoneOfItsState()
    {
        // Renders share one parsed template and one set of options; nothing of one render may reach the next.
        Assert.Equal("a0b", Render("{% assign leaked = 'a' %}{{ leaked }}{% increment counter %}{% cycle 'b', 'c' %}", html: true));
        var next = TemplateRenderer.Render(TemplateRenderer.CompileUncached("[{{ leaked }}]{% increment counter %}{% cycle 'b', 'c' %}{{ html | escape }}"), Params, htmlEscape: false, "body");
        Assert.Equal("[]0b&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;", next.Text);
        Assert.Contains("leaked", next.Missing);
    }

    [Fact]
    public void Compile_SameSource_IsParsedOnceAndCached()
    {
        var renderer = new TemplateRenderer();
        var first = renderer.Compile("${projectName}");
        Assert.Same(first, renderer.Compile("${projectName}"));
        Assert.NotSame(first, renderer.Compile("${projectName}!"));
    }

    [Fact]
    public void Compile_TemplateRecord_NewVersionIsCompiledAgain()
    {
        var renderer = new TemplateRenderer();
        var template = BuiltInTemplates.All[0];
        var v1 = new TemplateRecord(template, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true);
        Assert.Same(renderer.Compile(v1), renderer.Compile(v1));
        Assert.NotSame(renderer.Compile(v1), renderer.Compile(v1 with { Version = 2 }));
    }

    [Fact]
    public void Compile_BrokenSource_ThrowsWithPosition()
    {
        var exception = Assert.Throws<TemplateSyntaxException>(() => TemplateRenderer.CompileUncached("a\n{% if x %}"));
        Assert.Equal(2, exception.Error.Line);
        Assert.Equal(1, exception.Error.Column);
    }
}
