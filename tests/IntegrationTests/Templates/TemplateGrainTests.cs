using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.IntegrationTests.Templates;

[Collection(TemplateClusterCollection.Name)]
public sealed class TemplateGrainTests(TemplateClusterFixture fixture)
{
    internal static NotifyTemplate Deploy(string code) => new()
    {
        TemplateCode = code,
        TemplateName = "部署通知",
        NotifyTypeScope = [NotifyChannel.Email, NotifyChannel.Rtx, NotifyChannel.Sms],
        Source = "deployer",
        Contents =
        [
            new ChannelTemplate { Channel = NotifyChannel.Email, Title = "【部署】${app} {{ env | upcase }}", Body = "<p>您好 ${userName}</p><p>版本 #{version}{% if note %}: {{ note }}{% endif %}</p>", Format = EmailFormat.Html },
            new ChannelTemplate { Channel = NotifyChannel.Rtx, Title = "【部署】${app}", Body = "版本 ${version} 已部署到 {{ env }}" },
            new ChannelTemplate { Channel = NotifyChannel.Sms, Title = "【部署】${app}", Body = "${version} → {{ env }}" },
        ],
    };

    [Fact]
    public async Task Create_NewTemplate_IsStoredListedAndVersioned()
    {
        var created = await fixture.Template("it_create").CreateAsync(Deploy("it_create"));
        Assert.Equal(("IT_CREATE", 1L, false), (created.Template.TemplateCode, created.Version, created.BuiltIn));

        var updated = await fixture.Template("IT_CREATE").UpdateAsync(Deploy("IT_CREATE") with { TemplateName = "改名" }, expectedVersion: 1);
        Assert.Equal(2, updated.Version);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        var listed = Assert.Single(await fixture.Index.ListAsync(), t => t.TemplateCode == "IT_CREATE");
        Assert.Equal(("改名", 2L), (listed.TemplateName, listed.Version));
    }

    [Fact]
    public async Task Create_ExistingCode_Conflicts()
    {
        await fixture.Template("IT_DUP").CreateAsync(Deploy("IT_DUP"));
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Template("IT_DUP").CreateAsync(Deploy("it_dup")));
        Assert.Equal(RequestErrorKind.Conflict, exception.Kind);
    }

    [Fact]
    public async Task Create_BrokenLiquid_IsRefusedWithLineAndColumn()
    {
        var broken = Deploy("IT_BROKEN") with
        {
            Contents = [Deploy("x").Contents[0] with { Body = "<p>ok</p>\n<p>{% for v in versions %}{{ v }}</p>" }, .. Deploy("x").Contents.Skip(1)],
        };
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Template("IT_BROKEN").CreateAsync(broken));
        Assert.Equal(RequestErrorKind.Invalid, exception.Kind);
        var error = Assert.Single(exception.Errors);
        Assert.Equal("contents[0].body", error.Field);
        Assert.Equal("line 2, column 4: 'for' is never closed with '{% endfor %}'", error.Reason);
        Assert.Null(await fixture.Template("IT_BROKEN").GetAsync());
    }

    [Fact]
    public async Task Create_CodeOfAnotherGrain_IsRefused()
    {
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Template("IT_ONE").CreateAsync(Deploy("IT_OTHER")));
        Assert.Equal("templateCode", Assert.Single(exception.Errors).Field);
    }

    [Fact]
    public async Task Update_StaleVersionOrMissingTemplate_IsRefused()
    {
        await fixture.Template("IT_STALE").CreateAsync(Deploy("IT_STALE"));
        var stale = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Template("IT_STALE").UpdateAsync(Deploy("IT_STALE"), expectedVersion: 7));
        Assert.Equal(RequestErrorKind.Conflict, stale.Kind);
        var missing = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Template("IT_NOBODY").UpdateAsync(Deploy("IT_NOBODY")));
        Assert.Equal(RequestErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Delete_Template_IsGoneFromGetAndList()
    {
        await fixture.Template("IT_DELETE").CreateAsync(Deploy("IT_DELETE"));
        Assert.True(await fixture.Template("IT_DELETE").DeleteAsync());
        Assert.False(await fixture.Template("IT_DELETE").DeleteAsync());
        Assert.Null(await fixture.Template("IT_DELETE").GetAsync());
        Assert.DoesNotContain(await fixture.Index.ListAsync(), t => t.TemplateCode == "IT_DELETE");

        var recreated = await fixture.Template("IT_DELETE").CreateAsync(Deploy("IT_DELETE"));
        Assert.Equal(2, recreated.Version);
    }

    [Fact]
    public async Task Preview_Params_RendersEveryChannelAndReportsVariables()
    {
        await fixture.Template("IT_PREVIEW").CreateAsync(Deploy("IT_PREVIEW") with { RequiredParams = ["app", "version"] });
        var preview = await fixture.Template("IT_PREVIEW").PreviewAsync(
            new Dictionary<string, string> { ["app"] = "<api>", ["env"] = "prod" },
            new Dictionary<string, string> { ["userName"] = "alice" });

        Assert.Equal([NotifyChannel.Email, NotifyChannel.Rtx, NotifyChannel.Sms], preview.Channels.Select(c => c.Channel));
        var email = preview.Channels[0];
        Assert.Equal("【部署】<api> PROD", email.Title);
        Assert.Equal("<p>您好 alice</p><p>版本 </p>", email.Body);
        Assert.Equal("【部署】<api>\n → prod", preview.Channels[2].Body);
        Assert.Equal(["app", "env", "note", "userName", "version"], preview.VariablesUsed);
        Assert.Equal(["note", "version"], preview.MissingVariables);
        Assert.Equal(["version"], preview.MissingRequiredParams);
    }

    [Fact]
    public async Task Preview_UnknownTemplate_IsNotFound()
    {
        var exception = await Assert.ThrowsAsync<NotifyRequestException>(() => fixture.Template("IT_NO_SUCH").PreviewAsync(new Dictionary<string, string>(), new Dictionary<string, string>()));
        Assert.Equal(RequestErrorKind.NotFound, exception.Kind);
    }
}
