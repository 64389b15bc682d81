using System.Text.Json;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// <c>POST /service/actions</c>: bk-monitor's action instance in camelCase (DESIGN.md's example body). Every nested
/// object is a <see cref="RestBody"/> too, so an unknown field anywhere is refused with its path.
/// </summary>
public sealed class CreateActionBody : RestBody
{
    public string? ActionId { get; init; }

    /// <summary>The owner: a system key's own source (empty takes it); an admin key may name any.</summary>
    public string? Source { get; init; }

    public ActionAlertBody? Alert { get; init; }

    public ActionNotifyConfigBody? NotifyConfig { get; init; }

    public ActionExecuteConfigBody? ExecuteConfig { get; init; }
}

public sealed class ActionAlertBody : RestBody
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>1 fatal, 2 warning, 3 remind.</summary>
    public int? Level { get; init; }

    /// <summary>"ABNORMAL" (any case); recovery and closing arrive as signals.</summary>
    public string? Status { get; init; }

    public string? Content { get; init; }

    public Dictionary<string, string?>? Dimensions { get; init; }

    /// <summary>ISO 8601 text, or a number of Unix seconds (bk-monitor's <c>begin_time</c>).</summary>
    public JsonElement? BeginTime { get; init; }

    /// <summary>The latest anomaly point, as <see cref="BeginTime"/>; absent means the begin time.</summary>
    public JsonElement? LatestAnomalyTime { get; init; }

    public int? EventCount { get; init; }
}

/// <summary><c>PATCH /service/actions/{id}/alert</c>: the fields of the alert that changed; absent ones keep their value.</summary>
public sealed class ActionAlertUpdateBody : RestBody
{
    public string? Content { get; init; }

    public int? Level { get; init; }

    public Dictionary<string, string?>? Dimensions { get; init; }

    /// <summary>ISO 8601 text, or a number of Unix seconds.</summary>
    public JsonElement? LatestAnomalyTime { get; init; }

    public int? EventCount { get; init; }
}

public sealed class ActionNotifyConfigBody : RestBody
{
    public List<string?>? UserGroups { get; init; }

    /// <summary>Step name (<c>abnormal</c>, <c>recovered</c>, <c>closed</c>, <c>ack</c>) → notice ways.</summary>
    public Dictionary<string, List<string?>?>? Steps { get; init; }

    /// <summary>Minutes; 0 means no limit.</summary>
    public int? FrequencyLimit { get; init; }
}

public sealed class ActionExecuteConfigBody : RestBody
{
    public bool? NeedPoll { get; init; }

    /// <summary>Seconds, as a number or as text (bk-monitor configs hold both); read as Python's <c>int()</c> would.</summary>
    public JsonElement? NotifyInterval { get; init; }

    /// <summary>"standard" or "increasing".</summary>
    public string? IntervalNotifyMode { get; init; }

    public FailedRetryBody? FailedRetry { get; init; }

    /// <summary>Seconds before the first notice.</summary>
    public int? Delay { get; init; }

    public bool? NotifyOnLevelChange { get; init; }

    public bool? RequireNewAnomaly { get; init; }
}

public sealed class FailedRetryBody : RestBody
{
    public bool? IsEnabled { get; init; }

    public int? MaxRetryTimes { get; init; }

    /// <summary>Seconds.</summary>
    public int? RetryInterval { get; init; }

    /// <summary>Seconds; 0 means no limit.</summary>
    public int? Timeout { get; init; }
}

/// <summary><c>POST /service/actions/{id}/{signal}</c> carries no fields: an empty body or <c>{}</c>; any field is refused.</summary>
public sealed class ActionSignalBody : RestBody;
