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

/// <summary>The alert the notices are about, as the caller knows it at creation.</summary>
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
}

/// <summary>Who is told, and through which notice ways at each step.</summary>
[GenerateSerializer, Immutable, Alias("notify.ActionNotifyConfig")]
public sealed record ActionNotifyConfig
{
    /// <summary>Ids of <c>UserGroupGrain</c>s; their members receive every per-user notice way.</summary>
    [Id(0)] public IReadOnlyList<string> UserGroups { get; init; } = [];

    /// <summary>Notice ways per step (<c>mail</c>, <c>rtx</c>, <c>sms</c>, <c>voice</c>, <c>weixin</c>, <c>wxwork-bot|&lt;chatid&gt;</c>); <c>abnormal</c> is required.</summary>
    [Id(1)] public IReadOnlyDictionary<NotifyStep, IReadOnlyList<string>> Steps { get; init; } = new Dictionary<NotifyStep, IReadOnlyList<string>>();

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
