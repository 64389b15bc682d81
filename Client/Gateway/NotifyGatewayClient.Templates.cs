using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;
using Proto = Notify.Api.V1;

namespace Notify.Client.Gateway;

/// <summary>Templates over the gRPC gateway: <c>AdminService</c> for the admin calls, <c>NotifyService</c> for the sends.</summary>
public sealed partial class NotifyGatewayClient
{
    public Task<IReadOnlyList<TemplateSummary>> ListTemplatesAsync() =>
        CallAsync(async () => GatewayTemplateProtoMapper.FromProto(await _admin.ListTemplatesAsync(new Proto.ListTemplatesRequest(), Options())));

    public Task<TemplateRecord?> GetTemplateAsync(string templateCode) =>
        OrNullWhenNotFound(async () => GatewayTemplateProtoMapper.FromProto(await _admin.GetTemplateAsync(new Proto.GetTemplateRequest { TemplateCode = templateCode }, Options())));

    public Task<TemplateRecord> CreateTemplateAsync(NotifyTemplate template) =>
        CallAsync(async () => GatewayTemplateProtoMapper.FromProto(await _admin.CreateTemplateAsync(
            new Proto.CreateTemplateRequest { Template = GatewayTemplateProtoMapper.ToProto(template) }, Options())));

    public Task<TemplateRecord> UpdateTemplateAsync(NotifyTemplate template, long? expectedVersion = null) =>
        CallAsync(async () => GatewayTemplateProtoMapper.FromProto(await _admin.UpdateTemplateAsync(
            new Proto.UpdateTemplateRequest { Template = GatewayTemplateProtoMapper.ToProto(template), ExpectedVersion = expectedVersion ?? 0 }, Options())));

    public async Task<bool> DeleteTemplateAsync(string templateCode) =>
        await OrNullWhenNotFound<object>(async () => await _admin.DeleteTemplateAsync(new Proto.DeleteTemplateRequest { TemplateCode = templateCode }, Options())) is not null;

    public Task<TemplatePreview> PreviewTemplateAsync(
        string templateCode,
        IReadOnlyDictionary<string, string> titleParams,
        IReadOnlyDictionary<string, string> bodyParams,
        IReadOnlyList<NotifyChannel>? channels = null) =>
        CallAsync(async () => GatewayTemplateProtoMapper.FromProto(await _admin.PreviewTemplateAsync(
            GatewayTemplateProtoMapper.ToPreview(templateCode, titleParams, bodyParams, channels), Options())));

    public Task<TemplateSendResult> SendByTemplateAsync(TemplateSendRequest request) =>
        CallAsync(async () => GatewayTemplateProtoMapper.FromProto(await _notify.SendByTemplateAsync(GatewayTemplateProtoMapper.ToProto(request), Options())));

    public Task<TemplateSendResult> SendBuildNotifyAsync(BuildRef build, BuildNotifyRequest request) =>
        CallAsync(async () => GatewayTemplateProtoMapper.FromProto(await _notify.SendBuildNotifyAsync(GatewayTemplateProtoMapper.ToProto(build, request), Options())));
}
