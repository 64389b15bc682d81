using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Templates;

namespace Notify.IntegrationTests.Actions;

/// <summary>Action notices go through the ACTION_NOTICE template; without it they still go out.</summary>
public sealed class ActionNoticeTemplateTests
{
    [Fact]
    public async Task Notice_TemplateDeletedByAnOperator_IsSentAsPlainText()
    {
        var cluster = new ActionCluster();
        await cluster.InitializeAsync();
        try
        {
            Assert.True(await cluster.Client.GetGrain<ITemplateGrain>(TemplateKeys.Template("ACTION_NOTICE")).DeleteAsync());
            await cluster.PutContactAsync("alice");
            await cluster.PutGroupAsync("g-plain", "alice");
            await cluster.Action("plain").CreateAsync(ActionRequests.For("plain", "g-plain"));

            var done = await cluster.WaitForEndAsync("plain");

            Assert.Equal(ActionStatus.Success, done.Status);
            Assert.Equal("[ALERT][fatal] CPU high", Assert.Single(cluster.Deliveries("plain", NotifyChannel.Email)).Message.Title);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Notice_TemplateEditedByAnOperator_UsesTheNewWordingWithTheReason()
    {
        var cluster = new ActionCluster();
        await cluster.InitializeAsync();
        try
        {
            var template = cluster.Client.GetGrain<ITemplateGrain>(TemplateKeys.Template("ACTION_NOTICE"));
            var current = (await template.GetAsync())!;
            await template.UpdateAsync(current.Template with
            {
                Contents = current.Template.Contents
                    .Select(c => c.Channel == NotifyChannel.Sms ? c with { Body = "[{{ reason }} #{{ noticeTimes }}] ${alertName} on ${dimensions.host}" } : c)
                    .ToArray(),
            }, null);
            await cluster.PutContactAsync("carol", phone: "13800138000");
            await cluster.PutGroupAsync("g-sms", "carol");
            await cluster.Action("sms").CreateAsync(ActionRequests.For("sms", "g-sms", "sms"));

            await cluster.WaitForEndAsync("sms");

            Assert.Equal("[first #1] CPU high on h1", Assert.Single(cluster.Deliveries("sms", NotifyChannel.Sms)).Message.Body);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
