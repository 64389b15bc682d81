using System.Globalization;
using System.Text.Json;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Scheduling;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// <see cref="CreateActionBody"/> → <see cref="CreateActionRequest"/>. It refuses only what the JSON alone shows: unknown
/// fields at any depth, step names that are not steps, and values of a type that cannot mean anything. Every rule about the
/// values is <see cref="ActionRequestValidator"/>'s: absent fields take the contract's defaults, and wire strings that name
/// nothing (<c>"intervalNotifyMode":"sometimes"</c>) go on as undefined enum values for the validator to word.
/// </summary>
public static class ActionBodyMapper
{
    private static readonly ActionAlert DefaultAlert = new() { Id = "", Name = "" };
    private static readonly ActionExecuteConfig DefaultExecute = new();
    private static readonly FailedRetryConfig DefaultRetry = new();
    private static readonly NotifyStep[] NoticeSteps = [NotifyStep.Abnormal, NotifyStep.Recovered, NotifyStep.Closed, NotifyStep.Ack];

    public static CreateActionRequest ToRequest(CreateActionBody body)
    {
        var errors = new List<FieldError>();
        var request = new CreateActionRequest
        {
            ActionId = body.ActionId ?? "",
            Alert = ToAlert(body.Alert, errors),
            NotifyConfig = ToNotifyConfig(body.NotifyConfig, errors),
            ExecuteConfig = ToExecuteConfig(body.ExecuteConfig, errors),
        };
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : request;
    }

    private static ActionAlert ToAlert(ActionAlertBody? alert, List<FieldError> errors)
    {
        if (alert is null)
        {
            return DefaultAlert;
        }

        Unknown(errors, "alert", alert);
        return new ActionAlert
        {
            Id = alert.Id ?? "",
            Name = alert.Name ?? "",
            Level = alert.Level ?? DefaultAlert.Level,
            Status = alert.Status is null ? DefaultAlert.Status
                : ActionWireNames.TryParse(alert.Status, out AlertStatus status) ? status
                : (AlertStatus)(-1),
            Content = alert.Content ?? "",
            Dimensions = (alert.Dimensions ?? []).ToDictionary(d => d.Key, d => d.Value ?? "", StringComparer.Ordinal),
            BeginTime = Instant(alert.BeginTime, "alert.beginTime", errors) ?? default,
            LatestAnomalyTime = Instant(alert.LatestAnomalyTime, "alert.latestAnomalyTime", errors),
            EventCount = alert.EventCount ?? DefaultAlert.EventCount,
        };
    }

    public static ActionAlertUpdate ToUpdate(ActionAlertUpdateBody body)
    {
        var errors = new List<FieldError>();
        var update = new ActionAlertUpdate
        {
            Content = body.Content,
            Level = body.Level,
            Dimensions = body.Dimensions?.ToDictionary(d => d.Key, d => d.Value ?? "", StringComparer.Ordinal),
            LatestAnomalyTime = Instant(body.LatestAnomalyTime, "latestAnomalyTime", errors),
            EventCount = body.EventCount,
        };
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : update;
    }

    private static ActionNotifyConfig ToNotifyConfig(ActionNotifyConfigBody? config, List<FieldError> errors)
    {
        if (config is null)
        {
            return new ActionNotifyConfig();
        }

        Unknown(errors, "notifyConfig", config);
        var steps = new Dictionary<NotifyStep, IReadOnlyList<string>>();
        var names = new Dictionary<NotifyStep, string>();
        foreach (var (name, ways) in config.Steps ?? [])
        {
            var field = $"notifyConfig.steps.{name}";
            if (!ActionWireNames.TryParse(name, out NotifyStep step))
            {
                errors.Add(new FieldError(field, $"unknown step '{name}' (the notice steps are {string.Join(", ", NoticeSteps.Select(s => s.WireName()))})"));
            }
            else if (names.TryGetValue(step, out var first))
            {
                errors.Add(new FieldError(field, $"names the same step as '{first}'"));
            }
            else
            {
                names[step] = name;
                steps[step] = (ways ?? []).Select(w => w ?? "").ToArray();
            }
        }

        return new ActionNotifyConfig
        {
            UserGroups = (config.UserGroups ?? []).Select(g => g ?? "").ToArray(),
            Steps = steps,
            FrequencyLimit = config.FrequencyLimit ?? 0,
        };
    }

    private static ActionExecuteConfig ToExecuteConfig(ActionExecuteConfigBody? config, List<FieldError> errors)
    {
        if (config is null)
        {
            return DefaultExecute;
        }

        Unknown(errors, "executeConfig", config);
        return new ActionExecuteConfig
        {
            NeedPoll = config.NeedPoll ?? DefaultExecute.NeedPoll,
            NotifyInterval = NotifyInterval(config.NotifyInterval, errors),
            IntervalNotifyMode = config.IntervalNotifyMode is null ? DefaultExecute.IntervalNotifyMode
                : ActionWireNames.TryParse(config.IntervalNotifyMode, out IntervalNotifyMode mode) ? mode
                : (IntervalNotifyMode)(-1),
            FailedRetry = ToFailedRetry(config.FailedRetry, errors),
            Delay = config.Delay ?? DefaultExecute.Delay,
            NotifyOnLevelChange = config.NotifyOnLevelChange ?? DefaultExecute.NotifyOnLevelChange,
            RequireNewAnomaly = config.RequireNewAnomaly ?? DefaultExecute.RequireNewAnomaly,
        };
    }

    private static FailedRetryConfig ToFailedRetry(FailedRetryBody? retry, List<FieldError> errors)
    {
        if (retry is null)
        {
            return DefaultRetry;
        }

        Unknown(errors, "executeConfig.failedRetry", retry);
        return new FailedRetryConfig
        {
            IsEnabled = retry.IsEnabled ?? DefaultRetry.IsEnabled,
            MaxRetryTimes = retry.MaxRetryTimes ?? DefaultRetry.MaxRetryTimes,
            RetryInterval = retry.RetryInterval ?? DefaultRetry.RetryInterval,
            Timeout = retry.Timeout ?? DefaultRetry.Timeout,
        };
    }

    /// <summary>
    /// bk-monitor's <c>int(notify_interval)</c>, strictly: integer text through
    /// <see cref="NotifyIntervalCalculator.TryParseNotifyInterval"/>, or a JSON number without a fraction. Anything else
    /// (<c>"abc"</c>, <c>"7200.5"</c>, <c>7200.5</c>, <c>true</c>) is refused naming the field: the seed falls back to 0
    /// only for a missing value. A value past the integer range saturates so the validator reports it as out of range.
    /// </summary>
    private static int NotifyInterval(JsonElement? value, List<FieldError> errors)
    {
        const string field = "executeConfig.notifyInterval";
        switch (value?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return DefaultExecute.NotifyInterval;
            case JsonValueKind.String when NotifyIntervalCalculator.TryParseNotifyInterval(value.Value.GetString(), out var seconds):
                return seconds;
            case JsonValueKind.String:
                errors.Add(new FieldError(field, $"expected whole seconds; '{value.Value.GetString()}' is not an integer"));
                return 0;
            case JsonValueKind.Number when value.Value.TryGetDouble(out var number) && number == Math.Truncate(number):
                return (int)Math.Clamp(number, int.MinValue, int.MaxValue);
            case JsonValueKind.Number when value.Value.TryGetDouble(out _):
                errors.Add(new FieldError(field, $"expected whole seconds; {value.Value.GetRawText()} is not an integer"));
                return 0;
            case JsonValueKind.Number:
                return value.Value.GetRawText().StartsWith('-') ? int.MinValue : int.MaxValue;
            default:
                errors.Add(new FieldError(field, "expected an integer (seconds), or the integer as text"));
                return 0;
        }
    }

    private static DateTimeOffset? Instant(JsonElement? value, string field, List<FieldError> errors)
    {
        switch (value?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                var text = value.Value.GetString();
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                {
                    return instant;
                }

                errors.Add(new FieldError(field, $"expected an ISO 8601 time such as 2026-11-23T00:00:00Z (got '{text}')"));
                return null;
            case JsonValueKind.Number when value.Value.TryGetInt64(out var unixSeconds)
                && unixSeconds >= 0 && unixSeconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds():
                return DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
            case JsonValueKind.Number:
                errors.Add(new FieldError(field, $"expected whole Unix seconds from 0 (got {value.Value.GetRawText()})"));
                return null;
            default:
                errors.Add(new FieldError(field, "expected an ISO 8601 time (text) or Unix seconds (a number)"));
                return null;
        }
    }

    /// <summary>An error for each field of <paramref name="body"/> (at <paramref name="path"/>) that its type does not declare.</summary>
    public static void Unknown(List<FieldError> errors, string path, RestBody body)
    {
        foreach (var name in body.UnknownFields?.Keys ?? Enumerable.Empty<string>())
        {
            errors.Add(new FieldError($"{path}.{name}", $"unknown field '{name}'"));
        }
    }
}
