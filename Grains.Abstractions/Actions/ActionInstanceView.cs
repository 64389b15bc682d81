namespace Notify.Grains.Abstractions.Actions;

/// <summary><c>GET /service/actions/{id}</c>: an action instance, its schedule and the history of its notices.</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionInstanceView")]
public sealed record ActionInstanceView
{
    [Id(0)] public required string ActionId { get; init; }

    [Id(1)] public required ActionStatus Status { get; init; }

    [Id(2)] public FailureType? FailureType { get; init; }

    /// <summary>Notice runs started so far, counting from 1 (retries of a run do not count).</summary>
    [Id(3)] public int ExecuteTimes { get; init; }

    /// <summary>Retries of the current run.</summary>
    [Id(4)] public int RetryTimes { get; init; }

    /// <summary>When the next repeat or retry is due; null while a run is in flight and once finished.</summary>
    [Id(5)] public DateTimeOffset? NextNotifyTime { get; init; }

    /// <summary>The alert as last updated (content, level, dimensions, anomaly point), with its status as last signalled.</summary>
    [Id(6)] public required ActionAlert Alert { get; init; }

    /// <summary>The signal that stopped the repeats (ack, recover, close), if any.</summary>
    [Id(7)] public ActionSignal? StopSignal { get; init; }

    [Id(8)] public bool Shielded { get; init; }

    [Id(9)] public DateTimeOffset CreatedAt { get; init; }

    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }

    [Id(11)] public DateTimeOffset? EndTime { get; init; }

    /// <summary>The notice runs, oldest first (the most recent <c>ActionLimits.MaxRunsKept</c>).</summary>
    [Id(12)] public IReadOnlyList<ActionNoticeRun> Runs { get; init; } = [];

    /// <summary>Runs dropped from <see cref="Runs"/> to bound the history.</summary>
    [Id(13)] public int DroppedRuns { get; init; }

    [Id(14)] public required CreateActionRequest Request { get; init; }

    /// <summary>The source that created the instance and owns it (action ids are scoped per source).</summary>
    [Id(15)] public string Source { get; init; } = ActionKeys.DefaultSource;

    /// <summary>bk-monitor's notice result shape: <c>{step: {notice_way: [results]}}</c>, one result per run attempt.</summary>
    public IReadOnlyDictionary<NotifyStep, IReadOnlyDictionary<string, IReadOnlyList<NoticeResult>>> NoticeResults() =>
        Runs.GroupBy(r => r.Step).ToDictionary(
            byStep => byStep.Key,
            byStep => (IReadOnlyDictionary<string, IReadOnlyList<NoticeResult>>)byStep
                .SelectMany(r => r.Results)
                .GroupBy(w => w.NoticeWay)
                .ToDictionary(byWay => byWay.Key, byWay => (IReadOnlyList<NoticeResult>)byWay.ToArray()));
}

/// <summary>One notice run: one step sent once through every configured notice way (a retry is a run of its own).</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionNoticeRun")]
public sealed record ActionNoticeRun
{
    [Id(0)] public required NotifyStep Step { get; init; }

    [Id(1)] public required int ExecuteTimes { get; init; }

    [Id(2)] public int RetryTimes { get; init; }

    [Id(3)] public DateTimeOffset StartedAt { get; init; }

    [Id(4)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The run's aggregated status; null while in flight.</summary>
    [Id(5)] public ActionStatus? Outcome { get; init; }

    [Id(6)] public FailureType? FailureType { get; init; }

    [Id(7)] public IReadOnlyList<NoticeResult> Results { get; init; } = [];

    /// <summary>Why a run recorded as SKIPPED sent nothing (a repeat with no newer anomaly point); null for runs that sent.</summary>
    [Id(8)] public string? SkipReason { get; init; }
}

/// <summary>The result of one notice way in one run: the message it became and that message's final outcome.</summary>
[GenerateSerializer, Immutable, Alias("notify.NoticeResult")]
public sealed record NoticeResult
{
    /// <summary>As configured: <c>mail</c>, <c>wxwork-bot|chat-1</c>…</summary>
    [Id(0)] public required string NoticeWay { get; init; }

    [Id(1)] public required NotifyChannel Channel { get; init; }

    [Id(2)] public required NoticeWayStatus Status { get; init; }

    [Id(3)] public string? MessageId { get; init; }

    /// <summary>The message's reference: <c>action:&lt;id&gt;/&lt;step&gt;/&lt;executeTimes&gt;/&lt;way&gt;</c>.</summary>
    [Id(4)] public string Reference { get; init; } = "";

    [Id(5)] public int Sent { get; init; }

    [Id(6)] public int Failed { get; init; }

    [Id(7)] public int Suppressed { get; init; }

    [Id(8)] public int Blocked { get; init; }

    [Id(9)] public string? Error { get; init; }

    [Id(10)] public DateTimeOffset? SubmittedAt { get; init; }

    [Id(11)] public DateTimeOffset? CompletedAt { get; init; }
}
