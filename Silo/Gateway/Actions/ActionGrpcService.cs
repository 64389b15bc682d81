using Grpc.Core;
using Notify.Api.V1;

namespace Notify.Silo.Gateway.Actions;

/// <summary>notify.v1.ActionService: maps each call to <see cref="ActionApplication"/> and back; errors are mapped by <c>GrpcErrorInterceptor</c>.</summary>
public sealed class ActionGrpcService(ActionApplication actions) : ActionService.ActionServiceBase
{
    public override async Task<ActionInstance> CreateAction(CreateActionRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.CreateAsync(ActionProtoMapper.ToRequest(request)));

    public override async Task<ActionInstance> GetAction(GetActionRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.GetAsync(request.ActionId));

    public override async Task<ActionInstance> Ack(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.AckAsync(request.ActionId));

    public override async Task<ActionInstance> Recover(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.RecoverAsync(request.ActionId));

    public override async Task<ActionInstance> Close(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.CloseAsync(request.ActionId));

    public override async Task<ActionInstance> UpdateAlert(UpdateAlertRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.UpdateAlertAsync(request.ActionId, ActionProtoMapper.ToUpdate(request)));

    public override async Task<ActionInstance> Shield(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.ShieldAsync(request.ActionId));

    public override async Task<ActionInstance> Unshield(ActionSignalRequest request, ServerCallContext context) =>
        ActionProtoMapper.ToProto(await actions.UnshieldAsync(request.ActionId));
}
