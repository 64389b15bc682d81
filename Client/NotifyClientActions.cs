using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Client;

/// <summary><see cref="IActionClient"/> over Orleans: the instance and group grains, after the local check.</summary>
public sealed partial class NotifyClient
{
    public Task<ActionInstanceView> CreateActionAsync(CreateActionRequest request)
    {
        var valid = ActionRequestValidator.EnsureValid(request);
        return ActionGrain(valid.ActionId).CreateAsync(valid);
    }

    public Task<ActionInstanceView?> GetActionAsync(string actionId) => ActionGrain(actionId).GetAsync();

    public Task<ActionInstanceView> AckActionAsync(string actionId) => ActionGrain(actionId).AckAsync();

    public Task<ActionInstanceView> RecoverActionAsync(string actionId) => ActionGrain(actionId).RecoverAsync();

    public Task<ActionInstanceView> CloseActionAsync(string actionId) => ActionGrain(actionId).CloseAsync();

    public Task<ActionInstanceView> UpdateActionAlertAsync(string actionId, ActionAlertUpdate update)
    {
        var valid = ActionRequestValidator.EnsureValid(update);
        return ActionGrain(actionId).UpdateAlertAsync(valid);
    }

    public Task<ActionInstanceView> ShieldActionAsync(string actionId) => ActionGrain(actionId).ShieldAsync();

    public Task<ActionInstanceView> UnshieldActionAsync(string actionId) => ActionGrain(actionId).UnshieldAsync();

    public Task<UserGroup?> GetUserGroupAsync(string groupId) => UserGroupGrain(groupId).GetAsync();

    public Task<UserGroup> PutUserGroupAsync(UserGroup group)
    {
        var valid = ActionRequestValidator.EnsureValid(group);
        return UserGroupGrain(valid.GroupId).PutAsync(valid);
    }

    public Task<bool> DeleteUserGroupAsync(string groupId) => UserGroupGrain(groupId).DeleteAsync();

    private IActionInstanceGrain ActionGrain(string actionId) =>
        cluster.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(ActionIds.Check(actionId, "actionId")));

    private IUserGroupGrain UserGroupGrain(string groupId) =>
        cluster.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(ActionIds.Check(groupId, "groupId")));
}

/// <summary>Ids of instances and groups, checked before a call so a malformed one fails here, naming the field.</summary>
internal static class ActionIds
{
    public static string Check(string id, string field)
    {
        var trimmed = id.Trim();
        return ActionRequestValidator.IsId(trimmed)
            ? trimmed
            : throw NotifyRequestException.Invalid(field, $"'{trimmed}' is not an id (1-{ActionLimits.MaxIdLength} of letters, digits, '_', '-', '.', starting with a letter or digit)");
    }
}
