using Grpc.Core;
using Notify.Api.V1;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Operations;

/// <summary>notify.v1.OperationsService: operator actions on messages; errors are mapped by <c>GrpcErrorInterceptor</c>.</summary>
public sealed class OperationsGrpcService(OperationsApplication operations) : OperationsService.OperationsServiceBase
{
    public override async Task<MessageRecord> RetryMessage(RetryMessageRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await operations.RetryAsync(request.MessageId, request.Receiver, request.Note, Caller(context)));

    public override async Task<MessageRecord> CancelMessage(CancelMessageRequest request, ServerCallContext context) =>
        NotifyProtoMapper.ToProto(await operations.CancelAsync(request.MessageId, request.Note, Caller(context)));

    private static GatewayCaller Caller(ServerCallContext context) => GatewayCaller.From(context.GetHttpContext().User);
}
