namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// Grain keys of action instances and user groups. Non-hex prefixes and escaped ids keep the ADO.NET storage from
/// reading them as integer keys (orleans-facts.md §1.3); validated ids never contain '+'.
/// </summary>
public static class ActionKeys
{
    public static string Instance(string actionId) => "act:" + Uri.EscapeDataString(actionId);

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
