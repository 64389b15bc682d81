using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// An action instance as REST returns it: camelCase, bk-monitor's wire strings (<c>sleep</c>, <c>execute_failure</c>,
/// <c>ABNORMAL</c>), the configuration as created in the shape of the create body, and the notices in bk-monitor's
/// <c>{step: {notice_way: [results]}}</c> shape.
/// </summary>
public sealed record ActionView(
    string ActionId,
    string Source,
    string Status,
    string? FailureType,
    int ExecuteTimes,
    int RetryTimes,
    DateTimeOffset? NextNotifyTime,
    bool Shielded,
    string? StopSignal,
    ActionAlertView Alert,
    ActionNotifyConfigView NotifyConfig,
    ActionExecuteConfigView ExecuteConfig,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndTime,
    IReadOnlyList<ActionRunView> Runs,
    int DroppedRuns,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<NoticeResultView>>> NoticeResults);

public sealed record ActionAlertView(
    string Id,
    string Name,
    int Level,
    string Status,
    string Content,
    IReadOnlyDictionary<string, string> Dimensions,
    DateTimeOffset BeginTime,
    DateTimeOffset? LatestAnomalyTime,
    int EventCount);

public sealed record ActionNotifyConfigView(IReadOnlyList<string> UserGroups, IReadOnlyDictionary<string, IReadOnlyList<string>> Steps, int FrequencyLimit);

public sealed record ActionExecuteConfigView(
    bool NeedPoll,
    int NotifyInterval,
    string IntervalNotifyMode,
    FailedRetryView FailedRetry,
    int Delay,
    bool NotifyOnLevelChange,
    bool RequireNewAnomaly);

public sealed record FailedRetryView(bool IsEnabled, int MaxRetryTimes, int RetryInterval, int Timeout);

/// <summary>One notice run without its results (those are in <see cref="ActionView.NoticeResults"/>).</summary>
public sealed record ActionRunView(
    string Step,
    int ExecuteTimes,
    int RetryTimes,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    string? Outcome,
    string? FailureType,
    string? SkipReason);

/// <summary>One notice way in one run; <c>executeTimes</c> and <c>retryTimes</c> say which run.</summary>
public sealed record NoticeResultView(
    int ExecuteTimes,
    int RetryTimes,
    string Status,
    string Channel,
    string? MessageId,
    string Reference,
    int Sent,
    int Failed,
    int Suppressed,
    int Blocked,
    string? Error,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? CompletedAt);

public static class ActionViewMapper
{
    public static ActionView ToView(ActionInstanceView action)
    {
        var request = action.Request;
        var execute = request.ExecuteConfig;
        var retry = execute.FailedRetry;
        return new ActionView(
            action.ActionId,
            action.Source,
            action.Status.WireName(),
            action.FailureType?.WireName(),
            action.ExecuteTimes,
            action.RetryTimes,
            action.NextNotifyTime,
            action.Shielded,
            action.StopSignal?.ToString().ToLowerInvariant(),
            ToView(action.Alert),
            new ActionNotifyConfigView(
                request.NotifyConfig.UserGroups,
                request.NotifyConfig.Steps.ToDictionary(s => s.Key.WireName(), s => s.Value),
                request.NotifyConfig.FrequencyLimit),
            new ActionExecuteConfigView(
                execute.NeedPoll,
                execute.NotifyInterval,
                execute.IntervalNotifyMode.WireName(),
                new FailedRetryView(retry.IsEnabled, retry.MaxRetryTimes, retry.RetryInterval, retry.Timeout),
                execute.Delay,
                execute.NotifyOnLevelChange,
                execute.RequireNewAnomaly),
            action.CreatedAt,
            action.UpdatedAt,
            action.EndTime,
            action.Runs.Select(r => new ActionRunView(
                r.Step.WireName(), r.ExecuteTimes, r.RetryTimes, r.StartedAt, r.CompletedAt, r.Outcome?.WireName(), r.FailureType?.WireName(), r.SkipReason)).ToArray(),
            action.DroppedRuns,
            NoticeResults(action.Runs));
    }

    /// <summary>The grouping of <see cref="ActionInstanceView.NoticeResults"/>, each result carrying the run it belongs to.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<NoticeResultView>>> NoticeResults(IReadOnlyList<ActionNoticeRun> runs) =>
        runs.GroupBy(r => r.Step).ToDictionary(
            byStep => byStep.Key.WireName(),
            byStep => (IReadOnlyDictionary<string, IReadOnlyList<NoticeResultView>>)byStep
                .SelectMany(run => run.Results.Select(result => ToView(run, result)))
                .GroupBy(pair => pair.Way)
                .ToDictionary(byWay => byWay.Key, byWay => (IReadOnlyList<NoticeResultView>)byWay.Select(pair => pair.View).ToArray()));

    private static (string Way, NoticeResultView View) ToView(ActionNoticeRun run, NoticeResult result) => (result.NoticeWay, new NoticeResultView(
        run.ExecuteTimes,
        run.RetryTimes,
        result.Status.WireName(),
        result.Channel.Name(),
        result.MessageId,
        result.Reference,
        result.Sent,
        result.Failed,
        result.Suppressed,
        result.Blocked,
        result.Error,
        result.SubmittedAt,
        result.CompletedAt));

    private static ActionAlertView ToView(ActionAlert alert) =>
        new(alert.Id, alert.Name, alert.Level, alert.Status.WireName(), alert.Content, alert.Dimensions, alert.BeginTime, alert.LatestAnomalyTime, alert.EventCount);
}
