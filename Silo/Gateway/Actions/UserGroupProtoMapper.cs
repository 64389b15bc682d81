using Google.Protobuf.WellKnownTypes;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Silo.Gateway.Actions;

/// <summary>notify.v1 user group messages (AdminService) ↔ the contract's <see cref="UserGroup"/>.</summary>
public static class UserGroupProtoMapper
{
    public static UserGroup ToUserGroup(Api.V1.PutUserGroupRequest request) => new()
    {
        GroupId = request.GroupId,
        Name = request.Name,
        Members = [.. request.Members],
    };

    public static Api.V1.UserGroup ToProto(UserGroup group)
    {
        var proto = new Api.V1.UserGroup { GroupId = group.GroupId, Name = group.Name, UpdatedAt = Timestamp.FromDateTimeOffset(group.UpdatedAt) };
        proto.Members.Add(group.Members);
        return proto;
    }
}
