using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Actions;

/// <summary>A bk-monitor user group: the usernames an action instance notifies (resolved to addresses by the contact directory).</summary>
public sealed class UserGroupGrain(
    [PersistentState("user-group", NotifyStorage.Name)] IPersistentState<UserGroupState> state,
    TimeProvider time) : Grain, IUserGroupGrain
{
    public Task<UserGroup?> GetAsync() => Task.FromResult(state.State.Group);

    public async Task<UserGroup> PutAsync(UserGroup group)
    {
        var valid = ActionRequestValidator.EnsureValid(group);
        if (ActionKeys.UserGroup(valid.GroupId) != this.GetPrimaryKeyString())
        {
            throw NotifyRequestException.Invalid("groupId", $"'{valid.GroupId}' is not the id of the group being written");
        }

        state.State.Group = valid with { UpdatedAt = time.GetUtcNow() };
        await state.WriteOrDeactivateAsync(this);
        await GrainFactory.GetGrain<INameIndexGrain>(INameIndexGrain.UserGroups).AddAsync(valid.GroupId);
        return state.State.Group;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Group is not { } existing)
        {
            return false;
        }

        state.State.Group = null;
        await state.WriteOrDeactivateAsync(this);
        await GrainFactory.GetGrain<INameIndexGrain>(INameIndexGrain.UserGroups).RemoveAsync(existing.GroupId);
        return true;
    }
}

[GenerateSerializer, Alias("notify.UserGroupState")]
public sealed class UserGroupState
{
    [Id(0)] public UserGroup? Group { get; set; }
}
