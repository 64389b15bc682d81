using Notify.Grains.Abstractions.Actions;

namespace Notify.Grains.Actions;

/// <summary>
/// One step's notice for an action instance across its user groups (each resolved by <see cref="UserGroupNotices"/>):
/// the notice ways are the action's for the step when it gives any, otherwise every way an open group's rule names.
/// The notice may go out while at least one group is open; each way then reaches the receivers of the open groups that
/// use it. When no group is open it waits for the first to open.
/// </summary>
public sealed class NoticeAudience
{
    private readonly IReadOnlyList<GroupNotice> _groups;

    private NoticeAudience(IReadOnlyList<GroupNotice> groups, IReadOnlyList<string> ways, DateTimeOffset? opensAt)
    {
        _groups = groups;
        Ways = ways;
        OpensAt = opensAt;
    }

    /// <summary>The notice ways of the step, each once, as <see cref="NoticeWay"/> writes them.</summary>
    public IReadOnlyList<string> Ways { get; }

    /// <summary>Null when the notice may go out now; otherwise when the first group's time range opens.</summary>
    public DateTimeOffset? OpensAt { get; }

    /// <summary>Groups that no longer exist are left out (an instance keeps running when one is deleted).</summary>
    public static NoticeAudience Resolve(ActionNotifyConfig config, IReadOnlyList<UserGroup> groups, int level, NotifyStep step, DateTimeOffset at)
    {
        var resolved = groups.Select(g => UserGroupNotices.Resolve(g, level, step, config.WaysFor(step), at)).ToList();
        var open = resolved.Where(g => g.IsOpen).ToList();
        var opensAt = resolved.Count > 0 && open.Count == 0 ? resolved.Min(g => g.OpensAt) : null;
        var from = open.Count > 0 || resolved.Count == 0 ? open : resolved;
        var ways = (config.WaysFor(step).Count > 0 ? config.WaysFor(step) : from.SelectMany(g => g.Ways))
            .Select(w => NoticeWay.Parse(w).ToString())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new NoticeAudience(resolved, ways, opensAt);
    }

    /// <summary>
    /// The usernames a per-user <paramref name="way"/> reaches: the receivers of the open groups that use it. A run that
    /// started keeps its groups when their range closes meanwhile (a retry), so with none open it is every group using it.
    /// </summary>
    public IReadOnlyList<string> ReceiversFor(NoticeWay way)
    {
        var name = way.ToString();
        var usingIt = _groups.Where(g => g.Ways.Any(w => NoticeWay.Parse(w).ToString() == name)).ToList();
        var open = usingIt.Where(g => g.IsOpen).ToList();
        return (open.Count > 0 ? open : usingIt).SelectMany(g => g.Receivers).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }
}
