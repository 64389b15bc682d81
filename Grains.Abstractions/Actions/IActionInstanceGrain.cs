using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// One bk-monitor action instance (keyed by <see cref="ActionKeys.Instance"/>): a locked state machine that sends the
/// abnormal notice, repeats it on the configured interval while the alert stays abnormal, retries failed runs, and sends
/// the ack/recovered/closed notice when told. It hears each notice's final outcome as the messages' completion listener.
/// Refusals cross the boundary as <see cref="NotifyRequestException"/>: Invalid (400), NotFound (404), Conflict (409).
/// </summary>
[Alias("notify.IActionInstanceGrain")]
public interface IActionInstanceGrain : IGrainWithStringKey, IMessageCompletionListener
{
    /// <summary>Creates the instance and starts its first notice. The same body again returns the instance; a different one is a conflict.</summary>
    [Alias("Create")]
    Task<ActionInstanceView> CreateAsync(CreateActionRequest request);

    /// <summary>The instance, or null when it was never created.</summary>
    [Alias("Get")]
    Task<ActionInstanceView?> GetAsync();

    /// <summary>Sends the ack notice once; no notice follows it.</summary>
    [Alias("Ack")]
    Task<ActionInstanceView> AckAsync();

    /// <summary>The alert recovered: sends the recovered notice; repeats stop.</summary>
    [Alias("Recover")]
    Task<ActionInstanceView> RecoverAsync();

    /// <summary>The alert was closed: sends the closed notice if configured; repeats stop.</summary>
    [Alias("Close")]
    Task<ActionInstanceView> CloseAsync();

    /// <summary>
    /// The alert changed (content, level, dimensions, anomaly point): the next notice renders it. A level change sends the
    /// abnormal notice at once when <c>notifyOnLevelChange</c> is set. A recovered or closed alert, or a finished
    /// instance, is a conflict.
    /// </summary>
    [Alias("UpdateAlert")]
    Task<ActionInstanceView> UpdateAlertAsync(ActionAlertUpdate update);

    /// <summary>Mutes the instance: notices that fall due are recorded as shielded instead of sent.</summary>
    [Alias("Shield")]
    Task<ActionInstanceView> ShieldAsync();

    [Alias("Unshield")]
    Task<ActionInstanceView> UnshieldAsync();
}

/// <summary>A bk-monitor user group (keyed by <see cref="ActionKeys.UserGroup"/>): the people an action instance notifies.</summary>
[Alias("notify.IUserGroupGrain")]
public interface IUserGroupGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<UserGroup?> GetAsync();

    [Alias("Put")]
    Task<UserGroup> PutAsync(UserGroup group);

    /// <summary>True when there was a group to delete. Instances naming it find no members there from then on.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();
}
