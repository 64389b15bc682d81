using Notify.Grains.Abstractions.Actions;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Actions;

/// <summary><c>PUT /op/notify/usergroups/{groupId}</c>: <c>{"name":"…","members":["alice","bob"]}</c>; the id is the path's.</summary>
public sealed class UserGroupBody : RestBody
{
    public string? Name { get; init; }

    public List<string?>? Members { get; init; }

    public UserGroup ToUserGroup(string groupId) => new()
    {
        GroupId = groupId,
        Name = Name ?? "",
        Members = (Members ?? []).Select(m => m ?? "").ToArray(),
    };
}

/// <summary>A user group as REST returns it.</summary>
public sealed record UserGroupView(string GroupId, string Name, IReadOnlyList<string> Members, DateTimeOffset UpdatedAt)
{
    public static UserGroupView From(UserGroup group) => new(group.GroupId, group.Name, group.Members, group.UpdatedAt);
}
