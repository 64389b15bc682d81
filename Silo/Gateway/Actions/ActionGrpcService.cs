using Grpc.Core;
using Notify.Api.V1;
using Notify.Grains.Abstractions.Ownership;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// notify.v1.ActionService: maps each call to <see cref="ActionApplication"/> and back, with the caller's scope (a
/// system reaches its own instances only); errors are mapped by <c>GrpcErrorInterceptor</c>.
/// </summary>
public sealed class ActionGrpcService(ActionApplication actions) : ActionService.ActionServiceBase
{
    public override async Task<ActionInstance> CreateAction(CreateActionRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.CreateAsync(ActionProtoMapper.ToRequest(request), request.Source, Caller(context)));

    public override async Task<ActionInstance> GetAction(GetActionRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.GetAsync(request.ActionId, request.Source, Scope(context)));

    public override async Task<ActionInstance> Ack(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.AckAsync(request.ActionId, request.Source, Scope(context)));

    public override async Task<ActionInstance> Recover(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.RecoverAsync(request.ActionId, request.Source, Scope(context)));

    public override async Task<ActionInstance> Close(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.CloseAsync(request.ActionId, request.Source, Scope(context)));

    public override async Task<ActionInstance> UpdateAlert(UpdateAlertRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.UpdateAlertAsync(request.ActionId, request.Source, Scope(context), ActionProtoMapper.ToUpdate(request)));

    public override async Task<ActionInstance> Shield(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.ShieldAsync(request.ActionId, request.Source, Scope(context)));

    public override async Task<ActionInstance> Unshield(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.UnshieldAsync(request.ActionId, request.Source, Scope(context)));

    private static GatewayCaller Caller(ServerCallContext context) => GatewayCaller.From(context.GetHttpContext().User);

    private static OwnerScope Scope(ServerCallContext context) => Caller(context).Scope;
}
