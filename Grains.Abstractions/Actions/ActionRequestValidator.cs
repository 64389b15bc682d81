using System.Text.RegularExpressions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// The one place that decides whether an action instance or a user group may be written. Pure: the gateway, the .NET
/// client and the grains call it; the grains' answer is the authoritative one. Errors name the JSON field as written.
/// </summary>
public static partial class ActionRequestValidator
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>Trims ids, names and notice ways and replaces missing collections with empty ones.</summary>
    public static CreateActionRequest Normalize(CreateActionRequest request)
    {
        var alert = request.Alert ?? new ActionAlert { Id = "", Name = "" };
        var notify = request.NotifyConfig ?? new ActionNotifyConfig();
        var execute = request.ExecuteConfig ?? new ActionExecuteConfig();
        return request with
        {
            ActionId = request.ActionId?.Trim() ?? "",
            Alert = alert with
            {
                Id = alert.Id?.Trim() ?? "",
                Name = alert.Name?.Trim() ?? "",
                Content = alert.Content ?? "",
                Dimensions = (alert.Dimensions ?? new Dictionary<string, string>())
                    .ToDictionary(d => d.Key.Trim(), d => d.Value ?? "", StringComparer.Ordinal),
            },
            NotifyConfig = notify with
            {
                UserGroups = (notify.UserGroups ?? []).Select(g => g?.Trim() ?? "").ToArray(),
                Steps = (notify.Steps ?? new Dictionary<NotifyStep, IReadOnlyList<string>>())
                    .ToDictionary(s => s.Key, s => (IReadOnlyList<string>)(s.Value ?? []).Select(w => w?.Trim() ?? "").ToArray()),
            },
            ExecuteConfig = execute with { FailedRetry = execute.FailedRetry ?? new FailedRetryConfig() },
        };
    }

    /// <summary>Every reason <paramref name="request"/> (normalized) cannot create an instance; empty when it can.</summary>
    public static IReadOnlyList<FieldError> Validate(CreateActionRequest request)
    {
        var errors = new List<FieldError>();
        CheckId(errors, "actionId", request.ActionId);
        CheckAlert(errors, request.Alert);
        CheckNotifyConfig(errors, request.NotifyConfig);
        CheckExecuteConfig(errors, request.ExecuteConfig);
        return errors;
    }

    /// <summary>Trims, validates (throwing <see cref="NotifyRequestException"/> listing every bad field) and returns the normalized request.</summary>
    public static CreateActionRequest EnsureValid(CreateActionRequest request)
    {
        var normalized = Normalize(request);
        var errors = Validate(normalized);
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : normalized;
    }

    /// <summary>Trims dimension keys and replaces null dimension values with empty text, as for a create.</summary>
    public static ActionAlertUpdate Normalize(ActionAlertUpdate update) => update with
    {
        Dimensions = update.Dimensions?.ToDictionary(d => d.Key.Trim(), d => d.Value ?? "", StringComparer.Ordinal),
    };

    /// <summary>Every reason <paramref name="update"/> (normalized) cannot be applied; empty when it can.</summary>
    public static IReadOnlyList<FieldError> Validate(ActionAlertUpdate update)
    {
        var errors = new List<FieldError>();
        if (update.IsEmpty)
        {
            errors.Add(new FieldError("body", "names nothing to change: give content, level, dimensions, latestAnomalyTime or eventCount"));
        }

        if (update.Content is { } content)
        {
            CheckContent(errors, "content", content);
        }

        if (update.Level is { } level)
        {
            CheckLevel(errors, "level", level);
        }

        if (update.Dimensions is { } dimensions)
        {
            CheckDimensions(errors, "dimensions", dimensions);
        }

        if (update.LatestAnomalyTime == default(DateTimeOffset))
        {
            errors.Add(new FieldError("latestAnomalyTime", "must be a time"));
        }

        if (update.EventCount is { } count)
        {
            CheckRange(errors, "eventCount", count, 0, ActionLimits.MaxEventCount, "events");
        }

        return errors;
    }

    public static ActionAlertUpdate EnsureValid(ActionAlertUpdate update)
    {
        var normalized = Normalize(update);
        var errors = Validate(normalized);
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : normalized;
    }

    /// <summary>Trims the group and keeps each member once (usernames compare case-insensitively, as the contact directory does).</summary>
    public static UserGroup Normalize(UserGroup group) => group with
    {
        GroupId = group.GroupId?.Trim() ?? "",
        Name = group.Name?.Trim() ?? "",
        Members = (group.Members ?? []).Select(m => m?.Trim() ?? "").ToArray(),
    };

    public static IReadOnlyList<FieldError> Validate(UserGroup group)
    {
        var errors = new List<FieldError>();
        CheckId(errors, "groupId", group.GroupId);
        CheckText(errors, "name", group.Name, ActionLimits.MaxGroupNameLength, required: true);
        if (group.Members.Count == 0)
        {
            errors.Add(new FieldError("members", "must list at least one username"));
        }
        else if (group.Members.Count > ActionLimits.MaxGroupMembers)
        {
            errors.Add(new FieldError("members", $"has {group.Members.Count} entries; at most {ActionLimits.MaxGroupMembers} are allowed"));
        }
        else
        {
            for (var i = 0; i < group.Members.Count; i++)
            {
                if (!ReceiverSyntax.IsUsername(group.Members[i]))
                {
                    errors.Add(new FieldError($"members[{i}]", $"'{group.Members[i]}' is not a username (1-64 of letters, digits, '_', '-', '.', starting with a letter or digit)"));
                }
            }
        }

        return errors;
    }

    public static UserGroup EnsureValid(UserGroup group)
    {
        var normalized = Normalize(group);
        var errors = Validate(normalized);
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        return normalized with { Members = normalized.Members.Distinct(StringComparer.OrdinalIgnoreCase).ToArray() };
    }

    /// <summary>True when two normalized requests describe the same instance (a retried create).</summary>
    public static bool Equivalent(CreateActionRequest a, CreateActionRequest b)
    {
        var noDimensions = new Dictionary<string, string>();
        return a.ActionId == b.ActionId
            && a.Alert with { Dimensions = noDimensions } == b.Alert with { Dimensions = noDimensions }
            && a.Alert.Dimensions.Count == b.Alert.Dimensions.Count
            && a.Alert.Dimensions.All(d => b.Alert.Dimensions.TryGetValue(d.Key, out var value) && value == d.Value)
            && a.NotifyConfig.UserGroups.SequenceEqual(b.NotifyConfig.UserGroups)
            && a.NotifyConfig.Steps.Count == b.NotifyConfig.Steps.Count
            && a.NotifyConfig.Steps.All(s => b.NotifyConfig.Steps.TryGetValue(s.Key, out var ways) && ways.SequenceEqual(s.Value))
            && a.NotifyConfig.FrequencyLimit == b.NotifyConfig.FrequencyLimit
            && a.ExecuteConfig == b.ExecuteConfig;
    }

    private static void CheckAlert(List<FieldError> errors, ActionAlert alert)
    {
        CheckText(errors, "alert.id", alert.Id, ActionLimits.MaxAlertIdLength, required: true);
        CheckText(errors, "alert.name", alert.Name, ActionLimits.MaxAlertNameLength, required: true);
        CheckLevel(errors, "alert.level", alert.Level);
        CheckContent(errors, "alert.content", alert.Content);
        if (alert.BeginTime == default)
        {
            errors.Add(new FieldError("alert.beginTime", "is required"));
        }

        if (!Enum.IsDefined(alert.Status))
        {
            errors.Add(new FieldError("alert.status", "must be ABNORMAL, RECOVERED or CLOSED"));
        }
        else if (alert.Status != AlertStatus.Abnormal)
        {
            errors.Add(new FieldError("alert.status", "an action instance starts for an ABNORMAL alert; report recovery and closing as signals (recover, close)"));
        }

        if (alert.LatestAnomalyTime == default(DateTimeOffset))
        {
            errors.Add(new FieldError("alert.latestAnomalyTime", "must be a time"));
        }

        CheckRange(errors, "alert.eventCount", alert.EventCount, 0, ActionLimits.MaxEventCount, "events");
        CheckDimensions(errors, "alert.dimensions", alert.Dimensions);
    }

    private static void CheckLevel(List<FieldError> errors, string field, int level)
    {
        if (level is < ActionLimits.MinAlertLevel or > ActionLimits.MaxAlertLevel)
        {
            errors.Add(new FieldError(field, $"must be 1 (fatal), 2 (warning) or 3 (remind) (got {level})"));
        }
    }

    private static void CheckContent(List<FieldError> errors, string field, string content)
    {
        if (content.Length > ActionLimits.MaxAlertContentLength)
        {
            errors.Add(new FieldError(field, $"is {content.Length} characters; at most {ActionLimits.MaxAlertContentLength} are allowed"));
        }
    }

    private static void CheckDimensions(List<FieldError> errors, string field, IReadOnlyDictionary<string, string> dimensions)
    {
        if (dimensions.Count > ActionLimits.MaxDimensions)
        {
            errors.Add(new FieldError(field, $"has {dimensions.Count} entries; at most {ActionLimits.MaxDimensions} are allowed"));
            return;
        }

        foreach (var (key, value) in dimensions)
        {
            if (key.Length == 0 || key.Length > ActionLimits.MaxDimensionKeyLength || key.Any(char.IsControl))
            {
                errors.Add(new FieldError(field, $"key '{key}' must be 1-{ActionLimits.MaxDimensionKeyLength} printable characters"));
            }
            else
            {
                CheckText(errors, $"{field}.{key}", value, ActionLimits.MaxDimensionValueLength, required: false);
            }
        }
    }

    private static void CheckNotifyConfig(List<FieldError> errors, ActionNotifyConfig config)
    {
        var groups = config.UserGroups;
        if (groups.Count == 0)
        {
            errors.Add(new FieldError("notifyConfig.userGroups", "must list at least one user group"));
        }
        else if (groups.Count > ActionLimits.MaxUserGroups)
        {
            errors.Add(new FieldError("notifyConfig.userGroups", $"has {groups.Count} entries; at most {ActionLimits.MaxUserGroups} are allowed"));
        }
        else
        {
            for (var i = 0; i < groups.Count; i++)
            {
                if (!IsId(groups[i]))
                {
                    errors.Add(new FieldError($"notifyConfig.userGroups[{i}]", $"'{groups[i]}' is not a user group id"));
                }
                else if (groups.Take(i).Contains(groups[i], StringComparer.Ordinal))
                {
                    errors.Add(new FieldError($"notifyConfig.userGroups[{i}]", $"'{groups[i]}' is listed twice"));
                }
            }
        }

        CheckRange(errors, "notifyConfig.frequencyLimit", config.FrequencyLimit, 0, NotifyLimits.MaxFrequencyLimitMinutes, "minutes (0 = no limit)");
        if (config.WaysFor(NotifyStep.Abnormal).Count == 0)
        {
            errors.Add(new FieldError("notifyConfig.steps.abnormal", "must list at least one notice way: it is the first notice"));
        }

        foreach (var (step, ways) in config.Steps)
        {
            if (!Enum.IsDefined(step))
            {
                errors.Add(new FieldError("notifyConfig.steps", $"unknown step {(int)step}"));
                continue;
            }

            var field = $"notifyConfig.steps.{step.WireName()}";
            if (step is NotifyStep.Execute or NotifyStep.ExecuteSuccess or NotifyStep.ExecuteFailed)
            {
                errors.Add(new FieldError(field, "execution steps belong to non-notice actions; an action instance here only sends notices (abnormal, recovered, closed, ack)"));
                continue;
            }

            CheckWays(errors, field, ways);
        }
    }

    private static void CheckWays(List<FieldError> errors, string field, IReadOnlyList<string> ways)
    {
        if (ways.Count > ActionLimits.MaxNoticeWaysPerStep)
        {
            errors.Add(new FieldError(field, $"has {ways.Count} notice ways; at most {ActionLimits.MaxNoticeWaysPerStep} are allowed"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ways.Count; i++)
        {
            if (!NoticeWay.TryParse(ways[i], out var way, out var error))
            {
                errors.Add(new FieldError($"{field}[{i}]", error));
            }
            else if (!seen.Add(way.ToString()))
            {
                errors.Add(new FieldError($"{field}[{i}]", $"'{way}' is listed twice"));
            }
        }
    }

    private static void CheckExecuteConfig(List<FieldError> errors, ActionExecuteConfig config)
    {
        CheckRange(errors, "executeConfig.notifyInterval", config.NotifyInterval, 0, ActionLimits.MaxNotifyIntervalSeconds, "seconds");
        CheckRange(errors, "executeConfig.delay", config.Delay, 0, ActionLimits.MaxDelaySeconds, "seconds");
        if (!Enum.IsDefined(config.IntervalNotifyMode))
        {
            errors.Add(new FieldError("executeConfig.intervalNotifyMode", "must be standard or increasing"));
        }

        var retry = config.FailedRetry;
        CheckRange(errors, "executeConfig.failedRetry.maxRetryTimes", retry.MaxRetryTimes, 0, ActionLimits.MaxRetryTimes, "retries");
        CheckRange(errors, "executeConfig.failedRetry.retryInterval", retry.RetryInterval, ActionLimits.MinRetryIntervalSeconds, ActionLimits.MaxRetryIntervalSeconds, "seconds");
        CheckRange(errors, "executeConfig.failedRetry.timeout", retry.Timeout, 0, ActionLimits.MaxTimeoutSeconds, "seconds (0 = no limit)");
    }

    private static void CheckId(List<FieldError> errors, string field, string value)
    {
        if (!IsId(value))
        {
            errors.Add(new FieldError(field, value.Length == 0
                ? "is required"
                : $"'{value}' must be 1-{ActionLimits.MaxIdLength} of letters, digits, '_', '-', '.', starting with a letter or digit"));
        }
    }

    private static void CheckText(List<FieldError> errors, string field, string value, int maxLength, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError(field, "is required"));
        }
        else if (value.Length > maxLength)
        {
            errors.Add(new FieldError(field, $"is {value.Length} characters; at most {maxLength} are allowed"));
        }
        else if (value.Any(char.IsControl))
        {
            errors.Add(new FieldError(field, "must not contain line breaks or other control characters"));
        }
    }

    private static void CheckRange(List<FieldError> errors, string field, int value, int min, int max, string unit)
    {
        if (value < min || value > max)
        {
            errors.Add(new FieldError(field, $"must be between {min} and {max} {unit} (got {value})"));
        }
    }
}
