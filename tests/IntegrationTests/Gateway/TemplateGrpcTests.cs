using Grpc.Core;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using ContractChannel = Notify.Grains.Abstractions.NotifyChannel;
using ContractPriority = Notify.Grains.Abstractions.Messages.NotifyPriority;

namespace Notify.IntegrationTests.Gateway;

/// <summary>The template RPCs: AdminService's CRUD, list and preview; NotifyService's SendByTemplate and SendBuildNotify.</summary>
public sealed class TemplateGrpcTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    private GrpcTestClient Client => new(Host.Grpc);

    private static NotifyTemplate Alert(string code, string smsBody = "${host}: {{ metric }} {% if value %}= {{ value }}{% endif %}")
    {
        var template = new NotifyTemplate { TemplateCode = code, TemplateName = "告警", Priority = 1, Source = "monitor" };
        template.NotifyTypeScope.Add([Channel.Sms, Channel.Rtx]);
        template.RequiredParams.Add("host");
        template.Contents.Add(new ChannelTemplate { Channel = Channel.Sms, Body = smsBody });
        template.Contents.Add(new ChannelTemplate { Channel = Channel.Rtx, Title = "【告警】${host}", Body = "{{ metric | upcase }}" });
        return template;
    }

    private static IReadOnlyList<(string Field, string Reason)> FieldErrorsOf(RpcException exception) =>
        FieldErrors.Parser.ParseFrom(exception.Trailers.GetValueBytes("notify-field-errors-bin")).Errors.Select(e => (e.Field, e.Reason)).ToArray();

    [Fact]
    public async Task TemplateAdmin_EveryMethod_RoundTripsAndMapsErrors()
    {
        var created = await Client.AdminAsync<CreateTemplateRequest, TemplateRecord>("CreateTemplate", new CreateTemplateRequest { Template = Alert("it_grpc_crud") });
        Assert.Equal(("IT_GRPC_CRUD", 1L, false), (created.Template.TemplateCode, created.Version, created.BuiltIn));
        Assert.Equal([Channel.Sms, Channel.Rtx], created.Template.NotifyTypeScope);

        var duplicate = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<CreateTemplateRequest, TemplateRecord>("CreateTemplate", new CreateTemplateRequest { Template = Alert("IT_GRPC_CRUD") }));
        Assert.Equal(StatusCode.FailedPrecondition, duplicate.StatusCode);

        var got = await Client.AdminAsync<GetTemplateRequest, TemplateRecord>("GetTemplate", new GetTemplateRequest { TemplateCode = "it_grpc_crud" });
        Assert.Equal("{{ metric | upcase }}", got.Template.Contents[1].Body);
        Assert.Equal(created.CreatedAt, got.CreatedAt);

        var listed = await Client.AdminAsync<ListTemplatesRequest, ListTemplatesResponse>("ListTemplates", new ListTemplatesRequest());
        Assert.Contains(listed.Templates, t => t.TemplateCode == "IT_GRPC_CRUD" && t.Version == 1 && !t.BuiltIn);
        Assert.Contains(listed.Templates, t => t.TemplateCode == "BUILD_SUCCESS" && t.BuiltIn);

        var changed = got.Template.Clone();
        changed.TemplateName = "告警(新)";
        var updated = await Client.AdminAsync<UpdateTemplateRequest, TemplateRecord>("UpdateTemplate", new UpdateTemplateRequest { Template = changed, ExpectedVersion = 1 });
        Assert.Equal((2L, "告警(新)"), (updated.Version, updated.Template.TemplateName));
        var stale = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<UpdateTemplateRequest, TemplateRecord>("UpdateTemplate", new UpdateTemplateRequest { Template = changed, ExpectedVersion = 1 }));
        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.Equal("version", Assert.Single(FieldErrorsOf(stale)).Field);

        var previewRequest = new PreviewTemplateRequest { TemplateCode = "IT_GRPC_CRUD" };
        previewRequest.BodyParams.Add(new Dictionary<string, string> { ["host"] = "h1", ["metric"] = "cpu" });
        previewRequest.NotifyType.Add(Channel.Sms);
        var preview = await Client.AdminAsync<PreviewTemplateRequest, TemplatePreview>("PreviewTemplate", previewRequest);
        Assert.Equal((2L, "h1: cpu "), (preview.Version, Assert.Single(preview.Channels).Body));
        Assert.Equal(["host", "metric", "value"], preview.VariablesUsed);
        Assert.Equal(["value"], preview.MissingVariables);
        Assert.Empty(preview.MissingRequiredParams);

        var deleted = await Client.AdminAsync<DeleteTemplateRequest, DeleteTemplateResponse>("DeleteTemplate", new DeleteTemplateRequest { TemplateCode = "IT_GRPC_CRUD" });
        Assert.True(deleted.Deleted);
        var gone = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<GetTemplateRequest, TemplateRecord>("GetTemplate", new GetTemplateRequest { TemplateCode = "IT_GRPC_CRUD" }));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        var deletedAgain = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<DeleteTemplateRequest, DeleteTemplateResponse>("DeleteTemplate", new DeleteTemplateRequest { TemplateCode = "IT_GRPC_CRUD" }));
        Assert.Equal(StatusCode.NotFound, deletedAgain.StatusCode);
        var previewGone = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<PreviewTemplateRequest, TemplatePreview>("PreviewTemplate", previewRequest));
        Assert.Equal(StatusCode.NotFound, previewGone.StatusCode);
    }

    [Fact]
    public async Task CreateTemplate_BrokenLiquidOrUnspecifiedChannel_InvalidArgumentNamingFields()
    {
        var broken = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<CreateTemplateRequest, TemplateRecord>("CreateTemplate",
            new CreateTemplateRequest { Template = Alert("IT_GRPC_BROKEN", smsBody: "${host}\n{% if value %}= {{ value }}") }));
        Assert.Equal(StatusCode.InvalidArgument, broken.StatusCode);
        Assert.Equal([("contents[0].body", "line 2, column 1: 'if' is never closed with '{% endif %}'")], FieldErrorsOf(broken));

        var noChannel = Alert("IT_GRPC_NO_CHANNEL");
        noChannel.NotifyTypeScope.Add(Channel.Unspecified);
        var unspecified = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<CreateTemplateRequest, TemplateRecord>("CreateTemplate", new CreateTemplateRequest { Template = noChannel }));
        Assert.Equal(StatusCode.InvalidArgument, unspecified.StatusCode);
        Assert.Equal([("notifyTypeScope[2]", "a channel is required")], FieldErrorsOf(unspecified));

        var missing = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<CreateTemplateRequest, TemplateRecord>("CreateTemplate", new CreateTemplateRequest()));
        Assert.Equal([("template", "is required")], FieldErrorsOf(missing));
    }

    [Fact]
    public async Task SendByTemplate_Valid_DeliveredWithTheTemplatesPriorityAndErrorsMapped()
    {
        await Client.AdminAsync<PutContactRequest, Contact>("PutContact", new PutContactRequest { Username = "grpc-user", Phone = "13700000001", WecomUserId = "grpc.wecom" });
        await Client.AdminAsync<CreateTemplateRequest, TemplateRecord>("CreateTemplate", new CreateTemplateRequest { Template = Alert("IT_GRPC_SEND") });
        var request = new SendByTemplateRequest { TemplateCode = "it_grpc_send", Source = "grpc", RequestId = "it-grpc-template-send" };
        request.Receivers.Add("grpc-user");
        request.TitleParams.Add("host", "h9");
        request.BodyParams.Add(new Dictionary<string, string> { ["metric"] = "disk", ["value"] = "97%" });
        request.NotifyType.Add([Channel.Sms, Channel.Rtx]);

        var sent = await Client.NotifyAsync<SendByTemplateRequest, TemplateSendResponse>("SendByTemplate", request);

        Assert.Equal("IT_GRPC_SEND", sent.TemplateCode);
        Assert.Equal([Channel.Sms, Channel.Rtx], sent.Messages.Select(m => m.Channel));
        Assert.All(sent.Messages, m => Assert.False(m.Replayed));
        var sms = await Host.WaitForFinalAsync(sent.Messages[0].MessageId);
        Assert.Equal(("h9: disk = 97%", ContractPriority.High, "grpc"), (sms.Message.Body, sms.Message.Priority, sms.Message.Source));
        Assert.Contains(Host.Transport(ContractChannel.Sms).Deliveries, d => d.MessageId == sent.Messages[0].MessageId && d.Recipients.Single().Address == "13700000001");
        var rtx = await Host.WaitForFinalAsync(sent.Messages[1].MessageId);
        Assert.Equal(("【告警】h9", "DISK"), (rtx.Message.Title, rtx.Message.Body));

        // An explicit priority wins over the template's, even normal (0).
        request.Priority = 0;
        request.RequestId = "it-grpc-template-send-normal";
        var normal = await Client.NotifyAsync<SendByTemplateRequest, TemplateSendResponse>("SendByTemplate", request);
        Assert.Equal(ContractPriority.Normal, (await Host.WaitForFinalAsync(normal.Messages[0].MessageId)).Message.Priority);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<SendByTemplateRequest, TemplateSendResponse>("SendByTemplate", new SendByTemplateRequest { TemplateCode = "IT_GRPC_NONE" }));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Equal([("templateCode", "no template IT_GRPC_NONE")], FieldErrorsOf(unknown));

        var outOfScope = request.Clone();
        outOfScope.NotifyType.Add(Channel.Email);
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<SendByTemplateRequest, TemplateSendResponse>("SendByTemplate", outOfScope));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("notifyType", Assert.Single(FieldErrorsOf(refused)).Field);
    }

    [Fact]
    public async Task SendBuildNotify_Status_PicksBuildTemplateAndMapsErrors()
    {
        await Client.AdminAsync<PutContactRequest, Contact>("PutContact", new PutContactRequest { Username = "grpc-builder", WechatOpenId = "oGrpcBuilder" });
        var request = new SendBuildNotifyRequest { ProjectId = "demo", PipelineId = "p-9", BuildId = "b-9", BuildStatus = "cancel" };
        request.Receivers.Add("grpc-builder");
        request.NotifyType.Add(Channel.Wechat);
        request.Params.Add(new Dictionary<string, string> { ["projectName"] = "演示", ["pipelineName"] = "主干", ["buildNum"] = "9" });

        var sent = await Client.NotifyAsync<SendBuildNotifyRequest, TemplateSendResponse>("SendBuildNotify", request);

        Assert.Equal("BUILD_CANCEL", sent.TemplateCode);
        var wechat = await Host.WaitForFinalAsync(Assert.Single(sent.Messages).MessageId);
        Assert.StartsWith("【BK-CI】演示 流水线构建取消\n", wechat.Message.Body);
        Assert.Contains("您的流水线 主干 构建取消。", wechat.Message.Body);

        var badStatus = request.Clone();
        badStatus.BuildStatus = "EXPLODED";
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<SendBuildNotifyRequest, TemplateSendResponse>("SendBuildNotify", badStatus));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal("buildStatus", Assert.Single(FieldErrorsOf(refused)).Field);

        var noChannel = request.Clone();
        noChannel.NotifyType.Add(Channel.Unspecified);
        var unspecified = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<SendBuildNotifyRequest, TemplateSendResponse>("SendBuildNotify", noChannel));
        Assert.Equal([("notifyType[1]", "a channel is required")], FieldErrorsOf(unspecified));
    }
}
