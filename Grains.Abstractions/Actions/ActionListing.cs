using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Abstractions.Actions;

/// <summary>One action instance as lists show it: where it stands and when it next notifies.</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionListEntry")]
public sealed record ActionListEntry
{
    [Id(0)] public required string ActionId { get; init; }

    [Id(1)] public ActionStatus Status { get; init; }

    [Id(2)] public required string AlertId { get; init; }

    [Id(3)] public string AlertName { get; init; } = "";

    [Id(4)] public int Level { get; init; }

    [Id(5)] public AlertStatus AlertStatus { get; init; }

    /// <summary>Notice runs started so far.</summary>
    [Id(6)] public int ExecuteTimes { get; init; }

    [Id(7)] public DateTimeOffset? NextNotifyTime { get; init; }

    [Id(8)] public DateTimeOffset CreatedAt { get; init; }

    [Id(9)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The source that owns the instance; action ids are per source.</summary>
    [Id(10)] public string Source { get; init; } = ActionKeys.DefaultSource;

    /// <summary>Where the entry sorts and what a cursor names: source, then action id, since ids repeat across sources.</summary>
    public string ListKey => $"{Source}/{ActionId}";

    public static ActionListEntry From(ActionInstanceView view) => new()
    {
        ActionId = view.ActionId,
        Status = view.Status,
        AlertId = view.Alert.Id,
        AlertName = view.Alert.Name,
        Level = view.Alert.Level,
        AlertStatus = view.Alert.Status,
        ExecuteTimes = view.ExecuteTimes,
        NextNotifyTime = view.NextNotifyTime,
        CreatedAt = view.CreatedAt,
        UpdatedAt = view.UpdatedAt,
        Source = view.Source,
    };
}

/// <summary>A page of action instances in (source, action id) order, filtered by status, alert id and source.</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionListQuery")]
public sealed record ActionListQuery
{
    [Id(0)] public ActionStatus? Status { get; init; }

    [Id(1)] public string? AlertId { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [Id(2)] public string? After { get; init; }

    [Id(3)] public int PageSize { get; init; } = KeysetCursor.DefaultPageSize;

    [Id(4)] public string? Source { get; init; }

    public bool Matches(ActionListEntry entry) =>
        (Status is not { } status || entry.Status == status) && (AlertId is not { } alert || entry.AlertId == alert)
        && (Source is not { } source || entry.Source == source);

    public IReadOnlyList<FieldError> Validate(out string? afterId)
    {
        var errors = KeysetCursor.Validate(After, PageSize, out afterId).ToList();
        if (Status is { } status && !Enum.IsDefined(status))
        {
            errors.Add(new FieldError("status", $"unknown action status {(int)status}"));
        }

        if (AlertId is { Length: > ActionLimits.MaxAlertIdLength })
        {
            errors.Add(new FieldError("alert", $"must be at most {ActionLimits.MaxAlertIdLength} characters"));
        }

        return errors;
    }
}

/// <summary>
/// One shard of the action instance list (<see cref="ActionKeys.IndexShard"/>), kept by each instance as it changes.
/// The list is a view: an entry a silo lost before writing it is put back by the instance's next change.
/// </summary>
[Alias("notify.IActionIndexGrain")]
public interface IActionIndexGrain : IGrainWithStringKey
{
    [Alias("Upsert"), Orleans.Concurrency.OneWay]
    Task UpsertAsync(ActionListEntry entry);

    /// <summary>Drops a purged instance's entry (<see cref="ActionListEntry.ListKey"/>), so lists stop showing it.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string listKey);

    /// <summary>Up to <see cref="ActionListQuery.PageSize"/> + 1 matching entries after <paramref name="afterId"/>, in id order.</summary>
    [Alias("Page")]
    Task<IReadOnlyList<ActionListEntry>> PageAsync(ActionListQuery query, string? afterId);

    /// <summary>How many instances of this shard are in each status.</summary>
    [Alias("CountByStatus")]
    Task<IReadOnlyDictionary<ActionStatus, int>> CountByStatusAsync();
}
