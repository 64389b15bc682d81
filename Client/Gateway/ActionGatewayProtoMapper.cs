using System.Globalization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Proto = Notify.Api.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Notify.Client.Gateway;

/// <summary>Action instances and user groups ↔ notify.v1 messages, on the client side of the gateway.</summary>
internal static class ActionGatewayProtoMapper
{
    public static Proto.CreateActionRequest ToProto(CreateActionRequest request)
    {
        var alert = request.Alert;
        var protoAlert = new Proto.ActionAlert
        {
            Id = alert.Id,
            Name = alert.Name,
            Level = alert.Level,
            Status = alert.Status switch
            {
                AlertStatus.Abnormal => Proto.AlertStatus.Abnormal,
                AlertStatus.Recovered => Proto.AlertStatus.Recovered,
                AlertStatus.Closed => Proto.AlertStatus.Closed,
                _ => (Proto.AlertStatus)(-1),
            },
            Content = alert.Content,
            BeginTime = Timestamp.FromDateTimeOffset(alert.BeginTime),
            LatestAnomalyTime = alert.LatestAnomalyTime is { } anomaly ? Timestamp.FromDateTimeOffset(anomaly) : null,
            EventCount = alert.EventCount,
        };
        protoAlert.Dimensions.Add(alert.Dimensions.ToDictionary());

        var notify = new Proto.ActionNotifyConfig { FrequencyLimit = request.NotifyConfig.FrequencyLimit };
        notify.UserGroups.Add(request.NotifyConfig.UserGroups);
        foreach (var (step, ways) in request.NotifyConfig.Steps)
        {
            var noticeWays = new Proto.NoticeWays();
            noticeWays.Ways.Add(ways);
            notify.Steps.Add(step.WireName(), noticeWays);
        }

        var execute = request.ExecuteConfig;
        return new Proto.CreateActionRequest
        {
            ActionId = request.ActionId,
            Alert = protoAlert,
            NotifyConfig = notify,
            ExecuteConfig = new Proto.ActionExecuteConfig
            {
                NeedPoll = execute.NeedPoll,
                NotifyInterval = execute.NotifyInterval,
                IntervalNotifyMode = execute.IntervalNotifyMode switch
                {
                    IntervalNotifyMode.Standard => Proto.IntervalNotifyMode.Standard,
                    IntervalNotifyMode.Increasing => Proto.IntervalNotifyMode.Increasing,
                    _ => (Proto.IntervalNotifyMode)(-1),
                },
                FailedRetry = new Proto.FailedRetryConfig
                {
                    IsEnabled = execute.FailedRetry.IsEnabled,
                    MaxRetryTimes = execute.FailedRetry.MaxRetryTimes,
                    RetryInterval = execute.FailedRetry.RetryInterval,
                    Timeout = execute.FailedRetry.Timeout,
                },
                Delay = execute.Delay,
                NotifyOnLevelChange = execute.NotifyOnLevelChange,
                RequireNewAnomaly = execute.RequireNewAnomaly,
            },
        };
    }

    public static Proto.UpdateAlertRequest ToProto(string actionId, ActionAlertUpdate update)
    {
        var request = new Proto.UpdateAlertRequest
        {
            ActionId = actionId,
            ReplaceDimensions = update.Dimensions is not null,
            LatestAnomalyTime = update.LatestAnomalyTime is { } anomaly ? Timestamp.FromDateTimeOffset(anomaly) : null,
        };
        if (update.Content is { } content)
        {
            request.Content = content;
        }

        if (update.Level is { } level)
        {
            request.Level = level;
        }

        if (update.EventCount is { } count)
        {
            request.EventCount = count;
        }

        request.Dimensions.Add(update.Dimensions?.ToDictionary() ?? []);
        return request;
    }

    /// <summary>
    /// The gateway's instance as the contract's view. The gateway sends the results grouped bk-monitor's way
    /// (step → way → one per run); each run gets its own back, in the order its step's ways are configured.
    /// </summary>
    public static ActionInstanceView FromProto(Proto.ActionInstance action)
    {
        var request = new CreateActionRequest
        {
            ActionId = action.ActionId,
            // An instance is created for an abnormal alert; the current status is the view's.
            Alert = FromProto(action.Alert) with { Status = AlertStatus.Abnormal },
            NotifyConfig = FromProto(action.NotifyConfig),
            ExecuteConfig = FromProto(action.ExecuteConfig),
        };
        var results = action.NoticeResults
            .SelectMany(step => step.Value.Ways.SelectMany(way => way.Value.Results.Select(result => (Step: step.Key, Way: way.Key, Result: result))))
            .ToLookup(r => (r.Step, r.Result.ExecuteTimes, r.Result.RetryTimes));
        return new ActionInstanceView
        {
            ActionId = action.ActionId,
            Source = action.Source,
            Status = FromProto(action.Status),
            FailureType = FromProto(action.FailureType),
            ExecuteTimes = action.ExecuteTimes,
            RetryTimes = action.RetryTimes,
            NextNotifyTime = action.NextNotifyTime?.ToDateTimeOffset(),
            Alert = FromProto(action.Alert),
            StopSignal = action.StopSignal == Proto.ActionSignal.Unspecified ? null : (ActionSignal)((int)action.StopSignal - 1),
            Shielded = action.Shielded,
            CreatedAt = action.CreatedAt?.ToDateTimeOffset() ?? default,
            UpdatedAt = action.UpdatedAt?.ToDateTimeOffset() ?? default,
            EndTime = action.EndTime?.ToDateTimeOffset(),
            Runs = action.Runs.Select(run =>
            {
                var ways = request.NotifyConfig.WaysFor(ParseStep(run.Step));
                return new ActionNoticeRun
                {
                    Step = ParseStep(run.Step),
                    ExecuteTimes = run.ExecuteTimes,
                    RetryTimes = run.RetryTimes,
                    StartedAt = run.StartedAt?.ToDateTimeOffset() ?? default,
                    CompletedAt = run.CompletedAt?.ToDateTimeOffset(),
                    Outcome = run.Outcome == Proto.ActionStatus.Unspecified ? null : FromProto(run.Outcome),
                    FailureType = FromProto(run.FailureType),
                    SkipReason = run.SkipReason.Length > 0 ? run.SkipReason : null,
                    Results = results[(run.Step, run.ExecuteTimes, run.RetryTimes)]
                        .OrderBy(r => WayOrder(ways, r.Way))
                        .Select(r => FromProto(r.Way, r.Result))
                        .ToArray(),
                };
            }).ToArray(),
            DroppedRuns = action.DroppedRuns,
            Request = request,
        };
    }

    public static Proto.PutUserGroupRequest ToProto(UserGroup group)
    {
        var request = new Proto.PutUserGroupRequest { GroupId = group.GroupId, Name = group.Name, TimeZone = group.TimeZone };
        request.Members.Add(group.Members);
        foreach (var rule in group.NoticeRules)
        {
            var protoRule = new Proto.GroupNoticeRule { Level = rule.Level };
            protoRule.TimeRanges.Add(rule.TimeRanges);
            foreach (var (step, ways) in rule.Steps)
            {
                var noticeWays = new Proto.NoticeWays();
                noticeWays.Ways.Add(ways);
                protoRule.Steps.Add(step.WireName(), noticeWays);
            }

            request.NoticeRules.Add(protoRule);
        }

        if (group.Duty is { } duty)
        {
            request.Duty = new Proto.DutyRotation { ShiftDays = duty.ShiftDays, StartDate = duty.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
            request.Duty.HandOverTimes.Add(duty.HandOverTimes.Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture)));
            foreach (var shift in duty.Shifts)
            {
                var protoShift = new Proto.DutyShift();
                protoShift.Members.Add(shift.Members);
                request.Duty.Shifts.Add(protoShift);
            }
        }

        return request;
    }

    public static UserGroup FromProto(Proto.UserGroup group) => new()
    {
        GroupId = group.GroupId,
        Name = group.Name,
        Members = [.. group.Members],
        UpdatedAt = group.UpdatedAt?.ToDateTimeOffset() ?? default,
        TimeZone = group.TimeZone,
        NoticeRules = group.NoticeRules.Select(rule => new GroupNoticeRule
        {
            Level = rule.Level,
            Steps = rule.Steps.ToDictionary(s => ParseStep(s.Key), s => (IReadOnlyList<string>)[.. s.Value.Ways]),
            TimeRanges = [.. rule.TimeRanges],
        }).ToArray(),
        Duty = group.Duty is not { } duty ? null : new DutyRotation
        {
            Shifts = duty.Shifts.Select(s => new DutyShift { Members = [.. s.Members] }).ToArray(),
            HandOverTimes = duty.HandOverTimes.Select(t => TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture)).ToArray(),
            ShiftDays = duty.ShiftDays,
            StartDate = DateOnly.ParseExact(duty.StartDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        },
    };

    private static ActionAlert FromProto(Proto.ActionAlert alert) => new()
    {
        Id = alert.Id,
        Name = alert.Name,
        Level = alert.Level,
        Status = alert.Status switch
        {
            Proto.AlertStatus.Recovered => AlertStatus.Recovered,
            Proto.AlertStatus.Closed => AlertStatus.Closed,
            _ => AlertStatus.Abnormal,
        },
        Content = alert.Content,
        Dimensions = alert.Dimensions.ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal),
        BeginTime = alert.BeginTime?.ToDateTimeOffset() ?? default,
        LatestAnomalyTime = alert.LatestAnomalyTime?.ToDateTimeOffset(),
        EventCount = alert.EventCount,
    };

    private static ActionNotifyConfig FromProto(Proto.ActionNotifyConfig config) => new()
    {
        UserGroups = [.. config.UserGroups],
        FrequencyLimit = config.FrequencyLimit,
        Steps = config.Steps.ToDictionary(s => ParseStep(s.Key), s => (IReadOnlyList<string>)[.. s.Value.Ways]),
    };

    private static ActionExecuteConfig FromProto(Proto.ActionExecuteConfig config) => new()
    {
        NeedPoll = config.NeedPoll,
        NotifyInterval = config.NotifyInterval,
        IntervalNotifyMode = config.IntervalNotifyMode == Proto.IntervalNotifyMode.Increasing ? IntervalNotifyMode.Increasing : IntervalNotifyMode.Standard,
        FailedRetry = new FailedRetryConfig
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

    private static NoticeResult FromProto(string way, Proto.NoticeResult result) => new()
    {
        NoticeWay = way,
        // The proto enums are the contract's, shifted by one for UNSPECIFIED.
        Channel = (NotifyChannel)((int)result.Channel - 1),
        Status = (NoticeWayStatus)((int)result.Status - 1),
        MessageId = result.MessageId.Length > 0 ? result.MessageId : null,
        Reference = result.Reference,
        Sent = result.Sent,
        Failed = result.Failed,
        Suppressed = result.Suppressed,
        Blocked = result.Blocked,
        Error = result.Error.Length > 0 ? result.Error : null,
        SubmittedAt = result.SubmittedAt?.ToDateTimeOffset(),
        CompletedAt = result.CompletedAt?.ToDateTimeOffset(),
    };

    private static ActionStatus FromProto(Proto.ActionStatus status) => (ActionStatus)((int)status - 1);

    private static FailureType? FromProto(Proto.FailureType failureType) =>
        failureType == Proto.FailureType.Unspecified ? null : (FailureType)((int)failureType - 1);

    private static NotifyStep ParseStep(string name) =>
        ActionWireNames.TryParse(name, out NotifyStep step) ? step : throw new FormatException($"the gateway sent an unknown step '{name}'");

    private static int WayOrder(IReadOnlyList<string> configured, string way)
    {
        for (var i = 0; i < configured.Count; i++)
        {
            if (NoticeWay.TryParse(configured[i], out var parsed, out _) && parsed.ToString() == way)
            {
                return i;
            }
        }

        return configured.Count;
    }
}
