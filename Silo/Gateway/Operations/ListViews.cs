using Notify.Grains.Abstractions.Actions;

namespace Notify.Silo.Gateway.Operations;

/// <summary>A keyset page as REST returns it: <c>nextCursor</c>, for <c>after</c>, is null on the last page.</summary>
public sealed record ListView<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>One action instance in a list, with bk-monitor's wire strings (<c>sleep</c>, <c>ABNORMAL</c>).</summary>
public sealed record ActionListEntryView(
    string ActionId,
    string Status,
    string AlertId,
    string AlertName,
    int Level,
    string AlertStatus,
    int ExecuteTimes,
    DateTimeOffset? NextNotifyTime,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Source)
{
    public static ActionListEntryView From(ActionListEntry entry) => new(
        entry.ActionId,
        entry.Status.WireName(),
        entry.AlertId,
        entry.AlertName,
        entry.Level,
        entry.AlertStatus.WireName(),
        entry.ExecuteTimes,
        entry.NextNotifyTime,
        entry.CreatedAt,
        entry.UpdatedAt,
        entry.Source);
}
