using Google.Protobuf.WellKnownTypes;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// notify.v1 action messages ↔ the contract's types. Maps only: like REST it refuses just what the message alone shows
/// (step keys that are not steps); every rule about the values is <see cref="ActionRequestValidator"/>'s, and enum
/// numbers that name nothing go on as undefined values for it to word. Field names in errors are the JSON names.
/// </summary>
public static class ActionProtoMapper
{
    private static readonly ActionAlert DefaultAlert = new() { Id = "", Name = "" };
    private static readonly ActionExecuteConfig DefaultExecute = new();
    private static readonly FailedRetryConfig DefaultRetry = new();

    public static CreateActionRequest ToRequest(Api.V1.CreateActionRequest request)
    {
        var notify = request.NotifyConfig ?? new Api.V1.ActionNotifyConfig();
        var errors = new List<FieldError>();
        var steps = new Dictionary<NotifyStep, IReadOnlyList<string>>();
        foreach (var (name, ways) in notify.Steps)
        {
            if (!ActionWireNames.TryParse(name, out NotifyStep step))
            {
                errors.Add(new FieldError($"notifyConfig.steps.{name}", $"unknown step '{name}'"));
            }
            else if (!steps.TryAdd(step, [.. ways.Ways]))
            {
                errors.Add(new FieldError($"notifyConfig.steps.{name}", $"names the same step as '{step.WireName()}'"));
            }
        }

        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        return new CreateActionRequest
        {
            ActionId = request.ActionId,
            Alert = ToAlert(request.Alert),
            NotifyConfig = new ActionNotifyConfig { UserGroups = [.. notify.UserGroups], Steps = steps, FrequencyLimit = notify.FrequencyLimit },
            ExecuteConfig = ToExecuteConfig(request.ExecuteConfig),
        };
    }

    public static Api.V1.ActionInstance ToProto(ActionInstanceView action)
    {
        var proto = new Api.V1.ActionInstance
        {
            ActionId = action.ActionId,
            Source = action.Source,
            Status = ToProto(action.Status),
            FailureType = ToProto(action.FailureType),
            ExecuteTimes = action.ExecuteTimes,
            RetryTimes = action.RetryTimes,
            NextNotifyTime = ToProto(action.NextNotifyTime),
            Alert = ToProto(action.Alert),
            // The proto enum is the contract's, shifted by one for UNSPECIFIED (= no signal).
            StopSignal = action.StopSignal is { } signal ? (Api.V1.ActionSignal)((int)signal + 1) : Api.V1.ActionSignal.Unspecified,
            Shielded = action.Shielded,
            CreatedAt = Timestamp.FromDateTimeOffset(action.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(action.UpdatedAt),
            EndTime = ToProto(action.EndTime),
            DroppedRuns = action.DroppedRuns,
            NotifyConfig = ToProto(action.Request.NotifyConfig),
            ExecuteConfig = ToProto(action.Request.ExecuteConfig),
        };
        proto.Runs.Add(action.Runs.Select(run => new Api.V1.ActionNoticeRun
        {
            Step = run.Step.WireName(),
            ExecuteTimes = run.ExecuteTimes,
            RetryTimes = run.RetryTimes,
            StartedAt = Timestamp.FromDateTimeOffset(run.StartedAt),
            CompletedAt = ToProto(run.CompletedAt),
            Outcome = run.Outcome is { } outcome ? ToProto(outcome) : Api.V1.ActionStatus.Unspecified,
            FailureType = ToProto(run.FailureType),
            SkipReason = run.SkipReason ?? "",
        }));
        foreach (var byStep in action.Runs.GroupBy(r => r.Step))
        {
            var step = new Api.V1.StepNoticeResults();
            foreach (var byWay in byStep.SelectMany(run => run.Results.Select(result => (Run: run, Result: result))).GroupBy(p => p.Result.NoticeWay))
            {
                var results = new Api.V1.NoticeResults();
                results.Results.Add(byWay.Select(p => ToProto(p.Run, p.Result)));
                step.Ways.Add(byWay.Key, results);
            }

            proto.NoticeResults.Add(byStep.Key.WireName(), step);
        }

        return proto;
    }

    private static ActionAlert ToAlert(Api.V1.ActionAlert? alert) => alert is null ? DefaultAlert : new ActionAlert
    {
        Id = alert.Id,
        Name = alert.Name,
        Level = alert.HasLevel ? alert.Level : DefaultAlert.Level,
        Status = alert.Status switch
        {
            Api.V1.AlertStatus.Unspecified => DefaultAlert.Status,
            Api.V1.AlertStatus.Abnormal => AlertStatus.Abnormal,
            Api.V1.AlertStatus.Recovered => AlertStatus.Recovered,
            Api.V1.AlertStatus.Closed => AlertStatus.Closed,
            _ => (AlertStatus)(-1),
        },
        Content = alert.Content,
        Dimensions = alert.Dimensions.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
        BeginTime = alert.BeginTime?.ToDateTimeOffset() ?? default,
        LatestAnomalyTime = alert.LatestAnomalyTime?.ToDateTimeOffset(),
        EventCount = alert.EventCount,
    };

    public static ActionAlertUpdate ToUpdate(Api.V1.UpdateAlertRequest request) => new()
    {
        Content = request.HasContent ? request.Content : null,
        Level = request.HasLevel ? request.Level : null,
        Dimensions = request.ReplaceDimensions ? request.Dimensions.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal) : null,
        LatestAnomalyTime = request.LatestAnomalyTime?.ToDateTimeOffset(),
        EventCount = request.HasEventCount ? request.EventCount : null,
    };

    private static ActionExecuteConfig ToExecuteConfig(Api.V1.ActionExecuteConfig? config) => config is null ? DefaultExecute : new ActionExecuteConfig
    {
        NeedPoll = config.HasNeedPoll ? config.NeedPoll : DefaultExecute.NeedPoll,
        NotifyInterval = config.NotifyInterval,
        IntervalNotifyMode = config.IntervalNotifyMode switch
        {
            Api.V1.IntervalNotifyMode.Unspecified => DefaultExecute.IntervalNotifyMode,
            Api.V1.IntervalNotifyMode.Standard => IntervalNotifyMode.Standard,
            Api.V1.IntervalNotifyMode.Increasing => IntervalNotifyMode.Increasing,
            _ => (IntervalNotifyMode)(-1),
        },
        FailedRetry = config.FailedRetry is not { } retry ? DefaultRetry : new FailedRetryConfig
        {
            IsEnabled = retry.IsEnabled,
            MaxRetryTimes = retry.MaxRetryTimes,
            RetryInterval = retry.HasRetryInterval ? retry.RetryInterval : DefaultRetry.RetryInterval,
            Timeout = retry.Timeout,
        },
        Delay = config.Delay,
        NotifyOnLevelChange = config.NotifyOnLevelChange,
        RequireNewAnomaly = config.RequireNewAnomaly,
    };

    private static Api.V1.ActionAlert ToProto(ActionAlert alert)
    {
        var proto = new Api.V1.ActionAlert
        {
            Id = alert.Id,
            Name = alert.Name,
            Level = alert.Level,
            Status = alert.Status switch
            {
                AlertStatus.Recovered => Api.V1.AlertStatus.Recovered,
                AlertStatus.Closed => Api.V1.AlertStatus.Closed,
                _ => Api.V1.AlertStatus.Abnormal,
            },
            Content = alert.Content,
            BeginTime = Timestamp.FromDateTimeOffset(alert.BeginTime),
            LatestAnomalyTime = ToProto(alert.LatestAnomalyTime),
            EventCount = alert.EventCount,
        };
        proto.Dimensions.Add(alert.Dimensions.ToDictionary());
        return proto;
    }

    private static Api.V1.ActionNotifyConfig ToProto(ActionNotifyConfig config)
    {
        var proto = new Api.V1.ActionNotifyConfig { FrequencyLimit = config.FrequencyLimit };
        proto.UserGroups.Add(config.UserGroups);
        foreach (var (step, ways) in config.Steps)
        {
            var noticeWays = new Api.V1.NoticeWays();
            noticeWays.Ways.Add(ways);
            proto.Steps.Add(step.WireName(), noticeWays);
        }

        return proto;
    }

    private static Api.V1.ActionExecuteConfig ToProto(ActionExecuteConfig config) => new()
    {
        NeedPoll = config.NeedPoll,
        NotifyInterval = config.NotifyInterval,
        IntervalNotifyMode = config.IntervalNotifyMode == IntervalNotifyMode.Increasing ? Api.V1.IntervalNotifyMode.Increasing : Api.V1.IntervalNotifyMode.Standard,
        FailedRetry = new Api.V1.FailedRetryConfig
        {
            IsEnabled = config.FailedRetry.IsEnabled,
            MaxRetryTimes = config.FailedRetry.MaxRetryTimes,
            RetryInterval = config.FailedRetry.RetryInterval,
            Timeout = config.FailedRetry.Timeout,
        },
        Delay = config.Delay,
        NotifyOnLevelChange = config.NotifyOnLevelChange,
        RequireNewAnomaly = config.RequireNewAnomaly,
    };

    private static Api.V1.NoticeResult ToProto(ActionNoticeRun run, NoticeResult result) => new()
    {
        ExecuteTimes = run.ExecuteTimes,
        RetryTimes = run.RetryTimes,
        // The proto enums are the contract's, shifted by one for UNSPECIFIED.
        Status = (Api.V1.NoticeWayStatus)((int)result.Status + 1),
        Channel = (Api.V1.Channel)((int)result.Channel + 1),
        MessageId = result.MessageId ?? "",
        Reference = result.Reference,
        Sent = result.Sent,
        Failed = result.Failed,
        Suppressed = result.Suppressed,
        Blocked = result.Blocked,
        Error = result.Error ?? "",
        SubmittedAt = ToProto(result.SubmittedAt),
        CompletedAt = ToProto(result.CompletedAt),
    };

    // The proto enums are the contract's, shifted by one for UNSPECIFIED.
    private static Api.V1.ActionStatus ToProto(ActionStatus status) => (Api.V1.ActionStatus)((int)status + 1);

    private static Api.V1.FailureType ToProto(FailureType? failureType) =>
        failureType is { } type ? (Api.V1.FailureType)((int)type + 1) : Api.V1.FailureType.Unspecified;

    private static Timestamp? ToProto(DateTimeOffset? instant) => instant is { } value ? Timestamp.FromDateTimeOffset(value) : null;
}
