using Notify.Grains.Abstractions;
using Notify.Grains.Templates;

namespace Notify.IntegrationTests.Templates;

/// <summary>Seeding needs a cluster of its own per test: the shared one's built-ins are edited by other tests.</summary>
public sealed class TemplateSeedingTests : IAsyncLifetime
{
    private readonly TemplateClusterFixture _cluster = new();

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Seeding_FirstStart_CreatesEveryBuiltInOnce()
    {
        var listed = await _cluster.Index.ListAsync();
        foreach (var builtIn in BuiltInTemplates.All)
        {
            var summary = Assert.Single(listed, t => t.TemplateCode == builtIn.TemplateCode);
            Assert.True(summary.BuiltIn);
        }

        Assert.Empty(await _cluster.Index.SeedBuiltInsAsync());
        var success = await _cluster.Template("BUILD_SUCCESS").GetAsync();
        Assert.Equal("【BK-CI】${projectName} 流水线构建{{ status | default: '成功' }}", success!.Template.ContentFor(NotifyChannel.Rtx)!.Title);
    }

    [Fact]
    public async Task Seeding_EditedBuiltIn_SurvivesReseed()
    {
        var original = (await _cluster.Template("BUILD_FAIL").GetAsync())!;
        await _cluster.Template("BUILD_FAIL").UpdateAsync(original.Template with { TemplateName = "构建失败(运营修改)" });

        Assert.Empty(await _cluster.Index.SeedBuiltInsAsync());
        var after = (await _cluster.Template("BUILD_FAIL").GetAsync())!;
        Assert.Equal(("构建失败(运营修改)", true), (after.Template.TemplateName, after.BuiltIn));
        Assert.Equal(original.Version + 1, after.Version);
    }

    [Fact]
    public async Task Seeding_DeletedBuiltIn_StaysDeleted()
    {
        Assert.True(await _cluster.Template("QUALITY_REVIEW").DeleteAsync());

        Assert.Empty(await _cluster.Index.SeedBuiltInsAsync());
        Assert.Null(await _cluster.Template("QUALITY_REVIEW").GetAsync());
        Assert.DoesNotContain(await _cluster.Index.ListAsync(), t => t.TemplateCode == "QUALITY_REVIEW");
    }
}
