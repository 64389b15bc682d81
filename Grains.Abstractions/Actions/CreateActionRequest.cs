namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// <c>POST /service/actions</c>: one alert's notice action (bk-monitor's action instance) with its notify and execute
/// configuration. Field names are bk-monitor's snake_case names in camelCase.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.CreateActionRequest")]
public sealed record CreateActionRequest
{
    /// <summary>The caller's id of the instance; creating the same id again with the same body is a no-op.</summary>
    [Id(0)] public required string ActionId { get; init; }

    [Id(1)] public required ActionAlert Alert { get; init; }

    [Id(2)] public required ActionNotifyConfig NotifyConfig { get; init; }

    [Id(3)] public ActionExecuteConfig ExecuteConfig { get; init; } = new();
}

/// <summary>The alert the notices are about: as the caller knows it at creation, then as updated (<see cref="ActionAlertUpdate"/>).</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionAlert")]
public sealed record ActionAlert
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Name { get; init; }

    /// <summary>bk-monitor severity: 1 fatal, 2 warning, 3 remind.</summary>
    [Id(2)] public int Level { get; init; } = 1;

    [Id(3)] public IReadOnlyDictionary<string, string> Dimensions { get; init; } = new Dictionary<string, string>();

    [Id(4)] public string Content { get; init; } = "";

    [Id(5)] public DateTimeOffset BeginTime { get; init; }

    /// <summary>An instance starts for an abnormal alert; later changes arrive as signals (recover, close).</summary>
    [Id(6)] public AlertStatus Status { get; init; } = AlertStatus.Abnormal;

    /// <summary>The alert's latest anomaly point (bk-monitor's <c>latest_time</c>); null means <see cref="BeginTime"/>.</summary>
    [Id(7)] public DateTimeOffset? LatestAnomalyTime { get; init; }

    /// <summary>Events the alert has collected so far (bk-monitor's <c>event_count</c>); 0 when the caller does not say.</summary>
    [Id(8)] public int EventCount { get; init; }

    /// <summary>The latest anomaly point as a time: <see cref="LatestAnomalyTime"/>, or the begin time when none was given.</summary>
    public DateTimeOffset AnomalyTime => LatestAnomalyTime ?? BeginTime;
}

/// <summary>Who is told, and through which notice ways at each step.</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionNotifyConfig")]
public sealed record ActionNotifyConfig
{
    /// <summary>Ids of <c>UserGroupGrain</c>s; their members receive every per-user notice way.</summary>
    [Id(0)] public IReadOnlyList<string> UserGroups { get; init; } = [];

    /// <summary>Notice ways per step (<c>mail</c>, <c>rtx</c>, <c>sms</c>, <c>voice</c>, <c>weixin</c>, <c>wxwork-bot|&lt;chatid&gt;</c>); <c>abnormal</c> is required.</summary>
    [Id(1)] public IReadOnlyDictionary<NotifyStep, IReadOnlyList<string>> Steps { get; init; } = new Dictionary<NotifyStep, IReadOnlyList<string>>();

    /// <summary>
    /// Minutes within which a receiver is not sent the same notice content again (BK-CI's <c>frequencyLimit</c>, applied
    /// per receiver by the delivery pipeline); 0 means no limit. A run whose every notice is suppressed ends SKIPPED.
    /// </summary>
    [Id(2)] public int FrequencyLimit { get; init; }

    public IReadOnlyList<string> WaysFor(NotifyStep step) => Steps.TryGetValue(step, out var ways) ? ways : [];
}

/// <summary>bk-monitor's <c>execute_config</c>: repeat notices and the failed-retry schedule.</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionExecuteConfig")]
public sealed record ActionExecuteConfig
{
    /// <summary>Repeat the abnormal notice while the alert stays abnormal. bk-monitor's default is true.</summary>
    [Id(0)] public bool NeedPoll { get; init; } = true;

    /// <summary>Seconds before the first repeat; 0 means no repeat (bk-monitor's <c>notify_interval &lt;= 0</c>).</summary>
    [Id(1)] public int NotifyInterval { get; init; }

    [Id(2)] public IntervalNotifyMode IntervalNotifyMode { get; init; } = IntervalNotifyMode.Standard;

    [Id(3)] public FailedRetryConfig FailedRetry { get; init; } = new();

    /// <summary>Seconds the instance waits (WAITING) after creation before its first notice; 0 sends at once.</summary>
    [Id(4)] public int Delay { get; init; }

    /// <summary>A level change reported by an alert update sends the abnormal notice at once, instead of at the next repeat.</summary>
    [Id(5)] public bool NotifyOnLevelChange { get; init; }

    /// <summary>
    /// A repeat falls due only with news: when the alert has no anomaly point (time or event count) newer than the one
    /// the last abnormal notice carried, the repeat is recorded as SKIPPED with the reason instead of sent (bk-monitor's
    /// checker: <c>latest_anomaly_time &lt; alert.latest_time</c>).
    /// </summary>
    [Id(6)] public bool RequireNewAnomaly { get; init; }
}

/// <summary>
/// What happens when a notice run fails: retried after <see cref="RetryInterval"/> seconds, at most
/// <see cref="MaxRetryTimes"/> times, unless it failed by <see cref="Timeout"/>, which is final.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.FailedRetryConfig")]
public sealed record FailedRetryConfig
{
    [Id(0)] public bool IsEnabled { get; init; }

    [Id(1)] public int MaxRetryTimes { get; init; }

    /// <summary>Seconds between a failed run and its retry.</summary>
    [Id(2)] public int RetryInterval { get; init; } = 60;

    /// <summary>
    /// Seconds a run's notices may take to become final; past it the run fails with <see cref="FailureType.Timeout"/>
    /// and the instance ends. 0 means no limit. Applies whether or not retries are enabled.
    /// </summary>
    [Id(3)] public int Timeout { get; init; }
}
