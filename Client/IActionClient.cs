using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Client;

/// <summary>
/// Action instances (bk-monitor's notice action per alert) and the user groups they notify, for .NET callers. Part of
/// <see cref="INotifyClient"/>. Requests are checked locally with the cluster's <see cref="ActionRequestValidator"/>;
/// refusals are <see cref="NotifyRequestException"/>s: Invalid (400), NotFound (404), Conflict (409).
/// </summary>
public interface IActionClient
{
    /// <summary>Creates the instance and starts its first notice. The same body again returns the instance; a different one is a conflict.</summary>
    Task<ActionInstanceView> CreateActionAsync(CreateActionRequest request);

    /// <summary>The instance, or null when no instance has that id.</summary>
    Task<ActionInstanceView?> GetActionAsync(string actionId);

    /// <summary>Sends the ack notice once; the repeats stop.</summary>
    Task<ActionInstanceView> AckActionAsync(string actionId);

    /// <summary>The alert recovered: sends the recovered notice; the repeats stop.</summary>
    Task<ActionInstanceView> RecoverActionAsync(string actionId);

    /// <summary>The alert was closed: sends the closed notice; the repeats stop.</summary>
    Task<ActionInstanceView> CloseActionAsync(string actionId);

    /// <summary>
    /// The alert changed (content, level, dimensions, anomaly point): the next notice renders it; a level change notifies
    /// at once when <c>notifyOnLevelChange</c> is set. A recovered or closed alert, or a finished instance, is a conflict.
    /// </summary>
    Task<ActionInstanceView> UpdateActionAlertAsync(string actionId, ActionAlertUpdate update);

    /// <summary>Notices that fall due are recorded as shielded instead of sent.</summary>
    Task<ActionInstanceView> ShieldActionAsync(string actionId);

    Task<ActionInstanceView> UnshieldActionAsync(string actionId);

    /// <summary>The group, or null when there is none.</summary>
    Task<UserGroup?> GetUserGroupAsync(string groupId);

    /// <summary>Creates or replaces the group; members are kept once each.</summary>
    Task<UserGroup> PutUserGroupAsync(UserGroup group);

    /// <summary>True when there was a group to delete.</summary>
    Task<bool> DeleteUserGroupAsync(string groupId);
}
