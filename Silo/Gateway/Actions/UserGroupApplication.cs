using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// bk-monitor user groups behind both surfaces (<c>/op/notify/usergroups</c>, <c>AdminService</c>). Groups are checked
/// with <see cref="ActionRequestValidator"/> before their grain is activated, and again by the grain.
/// </summary>
public sealed class UserGroupApplication(IGrainFactory grains)
{
    public async Task<UserGroup> GetAsync(string groupId) =>
        await Group(groupId).GetAsync() ?? throw NoGroup(groupId);

    /// <summary>Creates or replaces the group; members are kept once each.</summary>
    public Task<UserGroup> PutAsync(UserGroup group)
    {
        var valid = ActionRequestValidator.EnsureValid(group);
        return Group(valid.GroupId).PutAsync(valid);
    }

    public async Task DeleteAsync(string groupId)
    {
        if (!await Group(groupId).DeleteAsync())
        {
            throw NoGroup(groupId);
        }
    }

    private IUserGroupGrain Group(string groupId)
    {
        var id = groupId.Trim();
        return ActionRequestValidator.IsId(id)
            ? grains.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(id))
            : throw NotifyRequestException.Invalid("groupId", $"'{id}' is not a user group id (1-{ActionLimits.MaxIdLength} of letters, digits, '_', '-', '.', starting with a letter or digit)");
    }

    private static NotifyRequestException NoGroup(string groupId) =>
        NotifyRequestException.NotFound("groupId", $"no user group '{groupId.Trim()}'");
}
