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

    /// <summary>Trims the group's ids, names, ways and members and replaces missing collections with empty ones.</summary>
    public static UserGroup Normalize(UserGroup group) => group with
    {
        GroupId = group.GroupId?.Trim() ?? "",
        Name = group.Name?.Trim() ?? "",
        Members = (group.Members ?? []).Select(m => m?.Trim() ?? "").ToArray(),
        TimeZone = string.IsNullOrWhiteSpace(group.TimeZone) ? "UTC" : group.TimeZone.Trim(),
        NoticeRules = (group.NoticeRules ?? []).Select(rule => rule with
        {
            Steps = (rule.Steps ?? new Dictionary<NotifyStep, IReadOnlyList<string>>())
                .ToDictionary(s => s.Key, s => (IReadOnlyList<string>)(s.Value ?? []).Select(w => w?.Trim() ?? "").ToArray()),
            TimeRanges = (rule.TimeRanges ?? []).Select(r => r?.Trim() ?? "").ToArray(),
        }).ToArray(),
        Duty = group.Duty is not { } duty ? null : duty with
        {
            Shifts = (duty.Shifts ?? []).Select(shift => shift with { Members = (shift.Members ?? []).Select(m => m?.Trim() ?? "").ToArray() }).ToArray(),
            HandOverTimes = duty.HandOverTimes ?? [],
        },
    };

    public static IReadOnlyList<FieldError> Validate(UserGroup group)
    {
        var errors = new List<FieldError>();
        CheckId(errors, "groupId", group.GroupId);
        CheckText(errors, "name", group.Name, ActionLimits.MaxGroupNameLength, required: true);
        if (group.Members.Count == 0 && group.Duty is null)
        {
            errors.Add(new FieldError("members", "must list at least one username (or give the group a duty rotation)"));
        }
        else
        {
            CheckUsernames(errors, "members", group.Members);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(group.TimeZone, out _))
        {
            errors.Add(new FieldError("timeZone", $"'{group.TimeZone}' is not a time zone (an IANA id such as Asia/Shanghai, or UTC)"));
        }

        CheckNoticeRules(errors, group.NoticeRules);
        if (group.Duty is { } duty)
        {
            CheckDuty(errors, duty);
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

        return normalized with
        {
            Members = Distinct(normalized.Members),
            Duty = normalized.Duty is { } duty ? duty with { Shifts = duty.Shifts.Select(s => s with { Members = Distinct(s.Members) }).ToArray() } : null,
        };

        static string[] Distinct(IReadOnlyList<string> usernames) => usernames.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
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

    private static void CheckUsernames(List<FieldError> errors, string field, IReadOnlyList<string> usernames)
    {
        if (usernames.Count > ActionLimits.MaxGroupMembers)
        {
            errors.Add(new FieldError(field, $"has {usernames.Count} entries; at most {ActionLimits.MaxGroupMembers} are allowed"));
            return;
        }

        for (var i = 0; i < usernames.Count; i++)
        {
            if (!ReceiverSyntax.IsUsername(usernames[i]))
            {
                errors.Add(new FieldError($"{field}[{i}]", $"'{usernames[i]}' is not a username (1-64 of letters, digits, '_', '-', '.', starting with a letter or digit)"));
            }
        }
    }

    private static void CheckNoticeRules(List<FieldError> errors, IReadOnlyList<GroupNoticeRule> rules)
    {
        if (rules.Count > ActionLimits.MaxAlertLevel)
        {
            errors.Add(new FieldError("noticeRules", $"has {rules.Count} rules; one per alert level, at most {ActionLimits.MaxAlertLevel}"));
            return;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var field = $"noticeRules[{i}]";
            CheckLevel(errors, $"{field}.level", rule.Level);
            if (rules.Take(i).Any(r => r.Level == rule.Level))
            {
                errors.Add(new FieldError($"{field}.level", $"level {rule.Level} has a rule already"));
            }

            foreach (var (step, ways) in rule.Steps)
            {
                if (step is not (NotifyStep.Abnormal or NotifyStep.Recovered or NotifyStep.Closed or NotifyStep.Ack))
                {
                    errors.Add(new FieldError($"{field}.steps", $"'{(Enum.IsDefined(step) ? step.WireName() : ((int)step).ToString(System.Globalization.CultureInfo.InvariantCulture))}' is not a notice step (abnormal, recovered, closed, ack)"));
                    continue;
                }

                CheckWays(errors, $"{field}.steps.{step.WireName()}", ways);
            }

            if (rule.TimeRanges.Count > ActionLimits.MaxTimeRanges)
            {
                errors.Add(new FieldError($"{field}.timeRanges", $"has {rule.TimeRanges.Count} ranges; at most {ActionLimits.MaxTimeRanges} are allowed"));
                continue;
            }

            for (var r = 0; r < rule.TimeRanges.Count; r++)
            {
                if (!NoticeTimeRange.TryParse(rule.TimeRanges[r], out _))
                {
                    errors.Add(new FieldError($"{field}.timeRanges[{r}]", $"'{rule.TimeRanges[r]}' is not a time range such as 09:00--18:00"));
                }
            }
        }
    }

    private static void CheckDuty(List<FieldError> errors, DutyRotation duty)
    {
        if (duty.Shifts.Count is 0 or > ActionLimits.MaxDutyShifts)
        {
            errors.Add(new FieldError("duty.shifts", $"must list 1-{ActionLimits.MaxDutyShifts} shifts (got {duty.Shifts.Count})"));
        }
        else
        {
            for (var i = 0; i < duty.Shifts.Count; i++)
            {
                if (duty.Shifts[i].Members.Count == 0)
                {
                    errors.Add(new FieldError($"duty.shifts[{i}].members", "must list at least one username"));
                }

                CheckUsernames(errors, $"duty.shifts[{i}].members", duty.Shifts[i].Members);
            }
        }

        if (duty.HandOverTimes.Count is 0 or > ActionLimits.MaxHandOverTimes)
        {
            errors.Add(new FieldError("duty.handOverTimes", $"must list 1-{ActionLimits.MaxHandOverTimes} times of day (got {duty.HandOverTimes.Count})"));
        }
        else if (duty.HandOverTimes.Zip(duty.HandOverTimes.Skip(1)).Any(pair => pair.First >= pair.Second))
        {
            errors.Add(new FieldError("duty.handOverTimes", "must be ascending, each time once"));
        }

        CheckRange(errors, "duty.shiftDays", duty.ShiftDays, 1, ActionLimits.MaxShiftDays, "days");
        if (duty.StartDate == default)
        {
            errors.Add(new FieldError("duty.startDate", "is required: the local date the first shift takes over"));
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
