using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

public sealed class TemplateValidatorTests
{
    private static NotifyTemplate Valid() => new()
    {
        TemplateCode = "deploy_done",
        TemplateName = "部署完成",
        NotifyTypeScope = [NotifyChannel.Email, NotifyChannel.Sms],
        RequiredParams = ["app"],
        Contents =
        [
            new ChannelTemplate { Channel = NotifyChannel.Email, Title = "${app} 已部署", Body = "<p>{{ app }}</p>", Format = EmailFormat.Html },
            new ChannelTemplate { Channel = NotifyChannel.Sms, Body = "${app} 已部署" },
        ],
    };

    [Fact]
    public void EnsureValid_GoodTemplate_IsNormalized()
    {
        var valid = TemplateValidator.EnsureValid(Valid());
        Assert.Equal("DEPLOY_DONE", valid.TemplateCode);
    }

    public static TheoryData<string, Func<NotifyTemplate, NotifyTemplate>, string, string> Broken() => new()
    {
        { "code with a space", t => t with { TemplateCode = "bad code" }, "templateCode", "must be a letter" },
        { "code starting with a digit", t => t with { TemplateCode = "1ABC" }, "templateCode", "must be a letter" },
        { "no name", t => t with { TemplateName = " " }, "templateName", "is required" },
        { "empty scope", t => t with { NotifyTypeScope = [] }, "notifyTypeScope", "at least one channel" },
        { "scoped channel without content", t => t with { NotifyTypeScope = [NotifyChannel.Email, NotifyChannel.Sms, NotifyChannel.Rtx] }, "notifyTypeScope[2]", "rtx has no entry in contents" },
        { "content outside scope", t => t with { NotifyTypeScope = [NotifyChannel.Email] }, "contents[1].channel", "sms is not in notifyTypeScope" },
        { "e-mail without subject", t => t with { Contents = [t.Contents[0] with { Title = "" }, t.Contents[1]] }, "contents[0].title", "is required on email" },
        { "HTML on SMS", t => t with { Contents = [t.Contents[0], t.Contents[1] with { Format = EmailFormat.Html }] }, "contents[1].format", "e-mail only" },
        { "markdown on e-mail", t => t with { Contents = [t.Contents[0] with { MarkdownBody = "**x**" }, t.Contents[1]] }, "contents[0].markdownBody", "robot" },
        { "broken Liquid", t => t with { Contents = [t.Contents[0] with { Body = "<p>\n  {% if app %}x</p>" }, t.Contents[1]] }, "contents[0].body", "line 2, column 3: 'if' is never closed" },
        { "oversized body", t => t with { Contents = [t.Contents[0], t.Contents[1] with { Body = new string('x', TemplateLimits.MaxBodySourceLength + 1) }] }, "contents[1].body", "at most 65536" },
        { "oversized title", t => t with { Contents = [t.Contents[0] with { Title = new string('x', TemplateLimits.MaxTitleSourceLength + 1) }, t.Contents[1]] }, "contents[0].title", "at most 2048" },
        { "bad required param", t => t with { RequiredParams = ["ok", "not ok"] }, "requiredParams[1]", "must be 1-64" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Validate_BrokenTemplate_NamesFieldAndReason(string why, Func<NotifyTemplate, NotifyTemplate> breakIt, string field, string reason)
    {
        var errors = TemplateValidator.Validate(TemplateValidator.Normalize(breakIt(Valid())));
        Assert.True(errors.Any(e => e.Field == field && e.Reason.Contains(reason)), $"{why}: {string.Join("; ", errors)}");
    }

    [Fact]
    public void EnsureValid_BrokenTemplate_ThrowsInvalid()
    {
        var exception = Assert.Throws<NotifyRequestException>(() => TemplateValidator.EnsureValid(Valid() with { TemplateName = "" }));
        Assert.Equal(RequestErrorKind.Invalid, exception.Kind);
    }

    [Fact]
    public void BuiltInTemplates_All_AreValidAndUnique()
    {
        foreach (var template in BuiltInTemplates.All)
        {
            Assert.Empty(TemplateValidator.Validate(TemplateValidator.Normalize(template)));
        }

        Assert.Equal(BuiltInTemplates.All.Count, BuiltInTemplates.All.Select(t => t.TemplateCode).Distinct().Count());
        Assert.Superset(
            new HashSet<string> { "BUILD_START", "BUILD_SUCCESS", "BUILD_FAIL", "BUILD_CANCEL", "QUALITY_INTERCEPT", "QUALITY_REVIEW", "PERMISSION_APPLY", BuiltInTemplates.ActionNotice },
            BuiltInTemplates.All.Select(t => t.TemplateCode).ToHashSet());
    }
}
