using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Ownership;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// Action instances behind both surfaces. Requests are checked with <see cref="ActionRequestValidator"/> before a grain is
/// activated for them, and checked again by the grain, which alone knows whether the user groups exist and whether the id
/// is taken. Unknown ids are <see cref="RequestErrorKind.NotFound"/>; signals on finished instances are conflicts.
/// Ownership is the grain key: an instance is keyed by the source that created it (<see cref="ActionKeys.Instance(string, string)"/>),
/// and every call resolves that source from the caller's <see cref="OwnerScope"/>, so a system reaches only its own
/// instances and another's id answers 404. An admin key names the owner with <c>source</c> (default <see cref="ActionKeys.DefaultSource"/>).
/// </summary>
public sealed class ActionApplication(IGrainFactory grains)
{
    /// <summary>
    /// Creates the instance under the caller's source (a system key's own; an admin key's <paramref name="source"/>), or
    /// returns it when the same body was created before; a different body is a conflict.
    /// </summary>
    public Task<ActionInstanceView> CreateAsync(CreateActionRequest request, string? source, GatewayCaller caller)
    {
        var owner = caller.BindSource(source?.Trim() ?? "");
        var valid = ActionRequestValidator.EnsureValid(request);
        return Instance(owner.Length == 0 ? ActionKeys.DefaultSource : owner, valid.ActionId).CreateAsync(valid);
    }

    public async Task<ActionInstanceView> GetAsync(string actionId, string? source, OwnerScope scope) =>
        await Instance(actionId, source, scope).GetAsync() ?? throw NotFound(actionId);

    public Task<ActionInstanceView> AckAsync(string actionId, string? source, OwnerScope scope) => Instance(actionId, source, scope).AckAsync();

    public Task<ActionInstanceView> RecoverAsync(string actionId, string? source, OwnerScope scope) => Instance(actionId, source, scope).RecoverAsync();

    public Task<ActionInstanceView> CloseAsync(string actionId, string? source, OwnerScope scope) => Instance(actionId, source, scope).CloseAsync();

    /// <summary>The alert changed; checked before the grain is activated, and again by it (which alone knows the alert's status).</summary>
    public Task<ActionInstanceView> UpdateAlertAsync(string actionId, string? source, OwnerScope scope, ActionAlertUpdate update)
    {
        var instance = Instance(actionId, source, scope);
        return instance.UpdateAlertAsync(ActionRequestValidator.EnsureValid(update));
    }

    public Task<ActionInstanceView> ShieldAsync(string actionId, string? source, OwnerScope scope) => Instance(actionId, source, scope).ShieldAsync();

    public Task<ActionInstanceView> UnshieldAsync(string actionId, string? source, OwnerScope scope) => Instance(actionId, source, scope).UnshieldAsync();

    /// <summary>The instance <paramref name="actionId"/> of the owner the scope resolves; another source's is not found.</summary>
    private IActionInstanceGrain Instance(string actionId, string? source, OwnerScope scope)
    {
        var id = CheckId(actionId);
        return scope.ActionOwner(source) is { } owner ? Instance(owner, id) : throw NotFound(id);
    }

    private IActionInstanceGrain Instance(string owner, string actionId)
    {
        if (owner.Length > ActionLimits.MaxIdLength || owner.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw NotifyRequestException.Invalid("source", $"must be 1-{ActionLimits.MaxIdLength} characters without spaces or control characters");
        }

        return grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(owner, CheckId(actionId)));
    }

    private static string CheckId(string actionId)
    {
        var id = actionId.Trim();
        return ActionRequestValidator.IsId(id)
            ? id
            : throw NotifyRequestException.Invalid("actionId", $"'{id}' is not an action id (1-{ActionLimits.MaxIdLength} of letters, digits, '_', '-', '.', starting with a letter or digit)");
    }

    private static NotifyRequestException NotFound(string actionId) =>
        NotifyRequestException.NotFound("actionId", $"action {actionId.Trim()} does not exist");
}
