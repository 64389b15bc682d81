namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// <c>PATCH /service/actions/{id}/alert</c>: what changed about an open instance's alert. Absent fields keep their
/// value. The next notice renders the alert as updated (bk-monitor's <c>notify(step, need_update_context=True)</c>).
/// Anomaly times and event counts only move forward: an older value than the one held (an update that arrived late) is
/// ignored, so updates may arrive in any order.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.ActionAlertUpdate")]
public sealed record ActionAlertUpdate
{
    [Id(0)] public string? Content { get; init; }

    /// <summary>1 fatal, 2 warning, 3 remind. A change sends the abnormal notice at once when <c>notifyOnLevelChange</c> is set.</summary>
    [Id(1)] public int? Level { get; init; }

    /// <summary>The alert's dimensions, replacing the ones held.</summary>
    [Id(2)] public IReadOnlyDictionary<string, string>? Dimensions { get; init; }

    [Id(3)] public DateTimeOffset? LatestAnomalyTime { get; init; }

    [Id(4)] public int? EventCount { get; init; }

    public bool IsEmpty => Content is null && Level is null && Dimensions is null && LatestAnomalyTime is null && EventCount is null;

    /// <summary><paramref name="alert"/> with this update applied.</summary>
    public ActionAlert ApplyTo(ActionAlert alert) => alert with
    {
        Content = Content ?? alert.Content,
        Level = Level ?? alert.Level,
        Dimensions = Dimensions ?? alert.Dimensions,
        LatestAnomalyTime = LatestAnomalyTime is { } time && time > alert.AnomalyTime ? time : alert.LatestAnomalyTime,
        EventCount = Math.Max(EventCount ?? 0, alert.EventCount),
    };
}
