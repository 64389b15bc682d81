using Notify.Grains.Abstractions.Actions;
using Proto = Notify.Api.V1;

namespace Notify.Client.Gateway;

/// <summary><see cref="IActionClient"/> over the gRPC gateway: <c>notify.v1.ActionService</c> and the user group RPCs of <c>AdminService</c>.</summary>
public sealed partial class NotifyGatewayClient
{
    private readonly Proto.ActionService.ActionServiceClient _actions = new(channel);

    public Task<ActionInstanceView> CreateActionAsync(CreateActionRequest request)
    {
        var valid = ActionRequestValidator.EnsureValid(request);
        return CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _actions.CreateActionAsync(ActionGatewayProtoMapper.ToProto(valid), Options())));
    }

    public Task<ActionInstanceView?> GetActionAsync(string actionId) =>
        OrNullWhenNotFound(async () => ActionGatewayProtoMapper.FromProto(await _actions.GetActionAsync(new Proto.GetActionRequest { ActionId = ActionIds.Check(actionId, "actionId") }, Options())));

    public Task<ActionInstanceView> AckActionAsync(string actionId) =>
        CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _actions.AckAsync(Signal(actionId), Options())));

    public Task<ActionInstanceView> RecoverActionAsync(string actionId) =>
        CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _actions.RecoverAsync(Signal(actionId), Options())));

    public Task<ActionInstanceView> CloseActionAsync(string actionId) =>
        CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _actions.CloseAsync(Signal(actionId), Options())));

    public Task<ActionInstanceView> UpdateActionAlertAsync(string actionId, ActionAlertUpdate update)
    {
        var request = ActionGatewayProtoMapper.ToProto(ActionIds.Check(actionId, "actionId"), ActionRequestValidator.EnsureValid(update));
        return CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _actions.UpdateAlertAsync(request, Options())));
    }

    public Task<ActionInstanceView> ShieldActionAsync(string actionId) =>
        CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _actions.ShieldAsync(Signal(actionId), Options())));

    public Task<ActionInstanceView> UnshieldActionAsync(string actionId) =>
        CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _actions.UnshieldAsync(Signal(actionId), Options())));

    public Task<UserGroup?> GetUserGroupAsync(string groupId) =>
        OrNullWhenNotFound(async () => ActionGatewayProtoMapper.FromProto(await _admin.GetUserGroupAsync(new Proto.GetUserGroupRequest { GroupId = ActionIds.Check(groupId, "groupId") }, Options())));

    public Task<UserGroup> PutUserGroupAsync(UserGroup group)
    {
        var valid = ActionRequestValidator.EnsureValid(group);
        return CallAsync(async () => ActionGatewayProtoMapper.FromProto(await _admin.PutUserGroupAsync(ActionGatewayProtoMapper.ToProto(valid), Options())));
    }

    public async Task<bool> DeleteUserGroupAsync(string groupId) =>
        await OrNullWhenNotFound<object>(async () => await _admin.DeleteUserGroupAsync(new Proto.DeleteUserGroupRequest { GroupId = ActionIds.Check(groupId, "groupId") }, Options())) is not null;

    private static Proto.ActionSignalRequest Signal(string actionId) => new() { ActionId = ActionIds.Check(actionId, "actionId") };
}
