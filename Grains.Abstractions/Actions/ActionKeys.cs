namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// Grain keys of action instances and user groups. Non-hex prefixes and escaped ids keep the ADO.NET storage from
/// reading them as integer keys (orleans-facts.md §1.3); validated ids never contain '+'.
/// </summary>
public static class ActionKeys
{
    public static string Instance(string actionId) => "act:" + Uri.EscapeDataString(actionId);

    public static string UserGroup(string groupId) => "ug:" + Uri.EscapeDataString(groupId);
}
