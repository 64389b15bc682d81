using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// Action instances behind both surfaces. Requests are checked with <see cref="ActionRequestValidator"/> before a grain is
/// activated for them, and checked again by the grain, which alone knows whether the user groups exist and whether the id
/// is taken. Unknown ids are <see cref="RequestErrorKind.NotFound"/>; signals on finished instances are conflicts.
/// </summary>
public sealed class ActionApplication(IGrainFactory grains)
{
    /// <summary>Creates the instance, or returns it when the same body was created before; a different body is a conflict.</summary>
    public Task<ActionInstanceView> CreateAsync(CreateActionRequest request)
    {
        var valid = ActionRequestValidator.EnsureValid(request);
        return Instance(valid.ActionId).CreateAsync(valid);
    }

    public async Task<ActionInstanceView> GetAsync(string actionId) =>
        await Instance(actionId).GetAsync() ?? throw NotifyRequestException.NotFound("actionId", $"action {actionId.Trim()} does not exist");

    public Task<ActionInstanceView> AckAsync(string actionId) => Instance(actionId).AckAsync();

    public Task<ActionInstanceView> RecoverAsync(string actionId) => Instance(actionId).RecoverAsync();

    public Task<ActionInstanceView> CloseAsync(string actionId) => Instance(actionId).CloseAsync();

    /// <summary>The alert changed; checked before the grain is activated, and again by it (which alone knows the alert's status).</summary>
    public Task<ActionInstanceView> UpdateAlertAsync(string actionId, ActionAlertUpdate update)
    {
        var instance = Instance(actionId);
        return instance.UpdateAlertAsync(ActionRequestValidator.EnsureValid(update));
    }

    public Task<ActionInstanceView> ShieldAsync(string actionId) => Instance(actionId).ShieldAsync();

    public Task<ActionInstanceView> UnshieldAsync(string actionId) => Instance(actionId).UnshieldAsync();

    private IActionInstanceGrain Instance(string actionId)
    {
        var id = actionId.Trim();
        return ActionRequestValidator.IsId(id)
            ? grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(id))
            : throw NotifyRequestException.Invalid("actionId", $"'{id}' is not an action id (1-{ActionLimits.MaxIdLength} of letters, digits, '_', '-', '.', starting with a letter or digit)");
    }
}
