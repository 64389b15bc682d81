namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// Grain keys of action instances and user groups. Non-hex prefixes and escaped ids keep the ADO.NET storage from
/// reading them as integer keys (orleans-facts.md §1.3); validated ids never contain '+'.
/// An instance's key holds the source that owns it, so action ids are scoped per source: two systems may both create
/// action "42" and get two instances, and no caller can address another source's instance by its id.
/// </summary>
public static class ActionKeys
{
    /// <summary>
    /// The owner of instances created without a bound source (an admin key that names none, the open loopback gateway,
    /// the Orleans client). Its keys are the ones instances had before keys held a source, so those stay reachable.
    /// </summary>
    public const string DefaultSource = "action";

    public static string Instance(string actionId) => Instance(DefaultSource, actionId);

    /// <summary><c>act:&lt;id&gt;</c> for <see cref="DefaultSource"/>, else <c>act:&lt;source&gt;/&lt;id&gt;</c> (both escaped, so '/' only separates).</summary>
    public static string Instance(string source, string actionId) =>
        source == DefaultSource ? "act:" + Uri.EscapeDataString(actionId) : $"act:{Uri.EscapeDataString(source)}/{Uri.EscapeDataString(actionId)}";

    /// <summary>The owner and the action id of an instance key made by <see cref="Instance(string, string)"/>.</summary>
    public static (string Source, string ActionId) ParseInstance(string key)
    {
        var path = key.StartsWith("act:", StringComparison.Ordinal) ? key["act:".Length..] : throw new ArgumentException($"'{key}' is not an action instance key", nameof(key));
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? (DefaultSource, Uri.UnescapeDataString(path))
            : (Uri.UnescapeDataString(path[..slash]), Uri.UnescapeDataString(path[(slash + 1)..]));
    }

    public static string UserGroup(string groupId) => "ug:" + Uri.EscapeDataString(groupId);

    /// <summary>The action list is kept in this many shards, so creating instances at alert rate has no single hot grain.</summary>
    public const int IndexShards = 8;

    /// <summary>The list shard an action id belongs to (FNV-1a of its UTF-8 bytes: the same on every silo and every run).</summary>
    public static string IndexShard(string actionId)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(actionId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return IndexShardKey((int)(hash % IndexShards));
    }

    public static string IndexShardKey(int shard) => "act-index:" + shard;
}
