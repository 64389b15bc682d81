using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

public sealed class PlaceholderTranslatorTests
{
    [Theory]
    // BK-CI's ${} and #{} become flat Liquid lookups.
    [InlineData("构建${status}", "构建{% placeholder \"status\" %}")]
    [InlineData("#{buildNum}", "{% placeholder \"buildNum\" %}")]
    // A dotted name stays one flat parameter, as BK-CI's string replacement read it.
    [InlineData("${build.num}", "{% placeholder \"build.num\" %}")]
    // Names in any script.
    [InlineData("${项目}", "{% placeholder \"项目\" %}")]
    // Bare {{x}} is Liquid already.
    [InlineData("{{x}} ${y}", "{{x}} {% placeholder \"y\" %}")]
    // Not placeholders: no name, a space, unclosed.
    [InlineData("${} ${a b} ${open", "${} ${a b} ${open")]
    // Inside a Liquid tag, a raw block or a comment nothing changes.
    [InlineData("{% if x == '${y}' %}a{% endif %}", "{% if x == '${y}' %}a{% endif %}")]
    [InlineData("{% raw %}${y}{% endraw %}${z}", "{% raw %}${y}{% endraw %}{% placeholder \"z\" %}")]
    [InlineData("{% comment %}${y}{% endcomment %}", "{% comment %}${y}{% endcomment %}")]
    // Text without placeholders comes back as it is.
    [InlineData("plain $ and # { }", "plain $ and # { }")]
    public void Translate_Source_BecomesLiquid(string source, string expected) =>
        Assert.Equal(expected, PlaceholderTranslator.Translate(source).Liquid);
}
