using Grpc.Core;
using Notify.Api.V1;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Notify;

/// <summary>
/// notify.v1.NotifyService: maps each call to <see cref="NotifyApplication"/> and back. Errors are mapped by
/// <c>GrpcErrorInterceptor</c>. A send's <c>request_id</c> is its idempotency key; a replay answers the first
/// message id with <c>replayed = true</c>. SendByTemplate and SendBuildNotify join here with the templates (their mapping in
/// <c>Gateway/Templates/</c>).
/// </summary>
public sealed partial class NotifyGrpcService(NotifyApplication notify) : NotifyService.NotifyServiceBase
{
    public override async Task<SendResponse> SendEmail(SendEmailRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.SendAsync(NotifyProtoMapper.ToMessage(request), request.RequestId, GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<SendResponse> SendRtx(SendRtxRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.SendAsync(NotifyProtoMapper.ToMessage(request), request.RequestId, GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<SendResponse> SendWechat(SendWechatRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.SendAsync(NotifyProtoMapper.ToMessage(request), request.RequestId, GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<SendResponse> SendSms(SendSmsRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.SendAsync(NotifyProtoMapper.ToMessage(request), request.RequestId, GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<SendResponse> SendVoice(SendVoiceRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.SendAsync(NotifyProtoMapper.ToMessage(request), request.RequestId, GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<SendResponse> SendWework(SendWeworkRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.SendAsync(NotifyProtoMapper.ToMessage(request), request.RequestId, GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<SendBatchResponse> SendBatch(SendBatchRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.SendBatchAsync(NotifyProtoMapper.ToBatch(request), GatewayCaller.From(context.GetHttpContext().User)));

    public override async Task<MessageRecord> GetMessage(GetMessageRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.GetMessageAsync(request.Id, Scope(context)));

    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.ListMessagesAsync(NotifyProtoMapper.ToQuery(request), Scope(context)));

    public override async Task<WhyNotResponse> WhyNot(WhyNotRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await notify.WhyNotAsync(
            request.Receiver,
            NotifyProtoMapper.FromProto(request.Channel, "channel"),
            request.From?.ToDateTimeOffset(),
            request.To?.ToDateTimeOffset(),
            request.Limit == 0 ? null : request.Limit,
            Scope(context)));

    private static Grains.Abstractions.Ownership.OwnerScope Scope(ServerCallContext context) => GatewayCaller.From(context.GetHttpContext().User).Scope;
}
