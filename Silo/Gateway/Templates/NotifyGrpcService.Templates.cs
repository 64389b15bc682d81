using Grpc.Core;
using Notify.Api.V1;
using Notify.Silo.Gateway.Templates;

using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Notify;

/// <summary>notify.v1.NotifyService's template sends, mapped by <see cref="TemplatesProtoMapper"/> onto <see cref="TemplatesApplication"/>.</summary>
public sealed partial class NotifyGrpcService
{
    public override async Task<TemplateSendResponse> SendByTemplate(SendByTemplateRequest request, ServerCallContext context) =>
        TemplatesProtoMapper.ToProto(await Templates(context).SendAsync(TemplatesProtoMapper.ToRequest(request), GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<TemplateSendResponse> SendBuildNotify(SendBuildNotifyRequest request, ServerCallContext context) =>
        TemplatesProtoMapper.ToProto(await Templates(context).SendBuildNotifyAsync(TemplatesProtoMapper.ToBuild(request), TemplatesProtoMapper.ToRequest(request), GatewayCaller.From(context.GetHttpContext().User)));

    // Resolved per call, so the class's one constructor (its own file) stays as it is.
    private static TemplatesApplication Templates(ServerCallContext context) =>
        context.GetHttpContext().RequestServices.GetRequiredService<TemplatesApplication>();
}
