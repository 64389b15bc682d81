using Grpc.Core;
using Notify.Api.V1;
using Notify.Silo.Gateway.Templates;

namespace Notify.Silo.Gateway.Admin;

/// <summary>notify.v1.AdminService's templates: CRUD, list and preview, mapped by <see cref="TemplatesProtoMapper"/> onto <see cref="TemplatesApplication"/>.</summary>
public sealed partial class AdminGrpcService
{
    public override async Task<ListTemplatesResponse> ListTemplates(ListTemplatesRequest request, ServerCallContext context) =>
        TemplatesProtoMapper.ToProto(await Templates(context).ListAsync());

    public override async Task<TemplateRecord> GetTemplate(GetTemplateRequest request, ServerCallContext context) =>
        TemplatesProtoMapper.ToProto(await Templates(context).GetAsync(request.TemplateCode));

    public override async Task<TemplateRecord> CreateTemplate(CreateTemplateRequest request, ServerCallContext context) =>
        TemplatesProtoMapper.ToProto(await Templates(context).CreateAsync(TemplatesProtoMapper.ToTemplate(request.Template)));

    public override async Task<TemplateRecord> UpdateTemplate(UpdateTemplateRequest request, ServerCallContext context)
    {
        var template = TemplatesProtoMapper.ToTemplate(request.Template);
        var expectedVersion = request.ExpectedVersion == 0 ? (long?)null : request.ExpectedVersion;
        return TemplatesProtoMapper.ToProto(await Templates(context).UpdateAsync(template.TemplateCode, template, expectedVersion));
    }

    public override async Task<DeleteTemplateResponse> DeleteTemplate(DeleteTemplateRequest request, ServerCallContext context)
    {
        await Templates(context).DeleteAsync(request.TemplateCode);
        return new DeleteTemplateResponse { Deleted = true };
    }

    public override async Task<Api.V1.TemplatePreview> PreviewTemplate(PreviewTemplateRequest request, ServerCallContext context) =>
        TemplatesProtoMapper.ToProto(await Templates(context).PreviewAsync(
            request.TemplateCode,
            new Dictionary<string, string>(request.TitleParams),
            new Dictionary<string, string>(request.BodyParams),
            TemplatesProtoMapper.Channels(request.NotifyType, "notifyType")));

    // Resolved per call, so the class's one constructor (its own file) stays as it is.
    private static TemplatesApplication Templates(ServerCallContext context) =>
        context.GetHttpContext().RequestServices.GetRequiredService<TemplatesApplication>();
}
