using Grpc.Core;
using Notify.Api.V1;
using Notify.Silo.Gateway.Actions;

namespace Notify.Silo.Gateway.Admin;

/// <summary>
/// notify.v1.AdminService: maps each call to <see cref="AdminApplication"/> and back; errors are mapped by
/// <c>GrpcErrorInterceptor</c>. User groups and templates join here with their areas.
/// </summary>
public sealed partial class AdminGrpcService(AdminApplication admin, UserGroupApplication userGroups) : AdminService.AdminServiceBase
{
    public override async Task<Blacklist> GetBlacklist(GetBlacklistRequest request, ServerCallContext context) =>
        AdminProtoMapper.ToProto(await admin.GetBlacklistAsync());

    public override async Task<Blacklist> AddToBlacklist(BlacklistChangeRequest request, ServerCallContext context) =>
        AdminProtoMapper.ToProto(await admin.AddToBlacklistAsync([.. request.Users]));

    public override async Task<Blacklist> RemoveFromBlacklist(BlacklistChangeRequest request, ServerCallContext context) =>
        AdminProtoMapper.ToProto(await admin.RemoveFromBlacklistAsync([.. request.Users]));

    public override async Task<Contact> GetContact(GetContactRequest request, ServerCallContext context) =>
        AdminProtoMapper.ToProto(await admin.GetContactAsync(request.Username));

    public override async Task<Contact> PutContact(PutContactRequest request, ServerCallContext context) =>
        AdminProtoMapper.ToProto(await admin.PutContactAsync(AdminProtoMapper.ToContact(request)));

    public override async Task<DeleteContactResponse> DeleteContact(DeleteContactRequest request, ServerCallContext context)
    {
        await admin.DeleteContactAsync(request.Username);
        return new DeleteContactResponse { Deleted = true };
    }

    public override async Task<UserGroup> PutUserGroup(PutUserGroupRequest request, ServerCallContext context) =>
        UserGroupProtoMapper.ToProto(await userGroups.PutAsync(UserGroupProtoMapper.ToUserGroup(request)));

    public override async Task<UserGroup> GetUserGroup(GetUserGroupRequest request, ServerCallContext context) =>
        UserGroupProtoMapper.ToProto(await userGroups.GetAsync(request.GroupId));

    public override async Task<DeleteUserGroupResponse> DeleteUserGroup(DeleteUserGroupRequest request, ServerCallContext context)
    {
        await userGroups.DeleteAsync(request.GroupId);
        return new DeleteUserGroupResponse { Deleted = true };
    }
}
