using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Templates;

namespace Notify.UnitTests.Templates;

public sealed class TemplateSendPlannerTests
{
    private static readonly NotifyTemplate Template = BuiltInTemplates.All.Single(t => t.TemplateCode == "BUILD_SUCCESS") with { RequiredParams = ["projectName"] };

    [Theory]
    [InlineData("START", "BUILD_START")]
    [InlineData("success", "BUILD_SUCCESS")]
    [InlineData("SUCCEED", "BUILD_SUCCESS")]
    [InlineData("FAIL", "BUILD_FAIL")]
    [InlineData("failed", "BUILD_FAIL")]
    [InlineData("CANCEL", "BUILD_CANCEL")]
    [InlineData("CANCELED", "BUILD_CANCEL")]
    [InlineData("QUEUE", null)]
    public void BuildTemplateCode_Status_PicksBuiltIn(string status, string? code) =>
        Assert.Equal(code, TemplateSendPlanner.BuildTemplateCode(status));

    [Fact]
    public void Channels_NoneRequested_IsTheWholeScope() =>
        Assert.Equal(Template.NotifyTypeScope, TemplateSendPlanner.Channels(Template, []));

    [Fact]
    public void Channels_OutsideScope_IsRefusedNamingIt()
    {
        var exception = Assert.Throws<NotifyRequestException>(() => TemplateSendPlanner.Channels(Template, [NotifyChannel.Email, NotifyChannel.Sms, NotifyChannel.Voice]));
        var error = Assert.Single(exception.Errors);
        Assert.Equal("notifyType", error.Field);
        Assert.StartsWith("sms, voice not in the scope of template BUILD_SUCCESS", error.Reason);
    }

    [Fact]
    public void CheckParams_MissingRequired_NamesThem()
    {
        var errors = TemplateSendPlanner.CheckParams(Template, new Dictionary<string, string>(), new Dictionary<string, string> { ["x"] = "1" });
        Assert.Contains(errors, e => e.Reason == "template BUILD_SUCCESS requires projectName");
        Assert.Empty(TemplateSendPlanner.CheckParams(Template, new Dictionary<string, string> { ["projectName"] = "p" }, new Dictionary<string, string>()));
    }

    [Fact]
    public void BuildNotify_Request_PicksTemplateAndMergesPathValues()
    {
        var request = TemplateSendPlanner.BuildNotify(
            new BuildRef("proj", "p-1", "b-9"),
            new BuildNotifyRequest
            {
                Receivers = ["alice"],
                BuildStatus = "fail",
                Params = new Dictionary<string, string> { ["buildId"] = "from-body", ["duration"] = "3m" },
            });
        Assert.Equal("BUILD_FAIL", request.TemplateCode);
        Assert.Equal("b-9", request.BodyParams["buildId"]);
        Assert.Equal("proj", request.TitleParams["projectId"]);
        Assert.Equal("3m", request.BodyParams["duration"]);
    }

    [Theory]
    [InlineData("", "", "buildStatus")]
    [InlineData("QUEUE", "", "buildStatus")]
    public void BuildNotify_NoUsableStatus_IsRefused(string status, string code, string field)
    {
        var exception = Assert.Throws<NotifyRequestException>(() =>
            TemplateSendPlanner.BuildNotify(new BuildRef("p", "q", "r"), new BuildNotifyRequest { BuildStatus = status, TemplateCode = code }));
        Assert.Equal(field, Assert.Single(exception.Errors).Field);
    }

    [Fact]
    public void BuildNotify_ExplicitCode_WinsOverStatus() =>
        Assert.Equal("MY_CODE", TemplateSendPlanner.BuildNotify(new BuildRef("p", "q", "r"), new BuildNotifyRequest { BuildStatus = "SUCCESS", TemplateCode = "MY_CODE" }).TemplateCode);

    [Fact]
    public void Message_Content_CarriesRequestFieldsPerChannel()
    {
        var request = new TemplateSendRequest { TemplateCode = "BUILD_SUCCESS", Receivers = ["alice"], Cc = ["bob"], Source = "", Priority = null, FrequencyLimitMinutes = 5 };
        var email = TemplateSendPlanner.Message(new RenderedContent { Channel = NotifyChannel.Email, Title = "t", Body = "b", Format = EmailFormat.Html }, Template with { Source = "bk-ci", Priority = NotifyPriority.High }, request);
        var rtx = TemplateSendPlanner.Message(new RenderedContent { Channel = NotifyChannel.Rtx, Title = "t", Body = "b" }, Template, request);
        Assert.Equal(["bob"], email.Cc);
        Assert.Equal(("bk-ci", NotifyPriority.High, 5, EmailFormat.Html), (email.Source, email.Priority, email.FrequencyLimitMinutes, email.Format));
        Assert.Empty(rtx.Cc);
        Assert.Equal("template:BUILD_SUCCESS", rtx.Reference);
    }
}
