using Notify.Grains.Abstractions.Actions;

namespace Notify.IntegrationTests.Actions;

internal static class ActionRequests
{
    /// <summary>DESIGN.md's example body with short, test-sized timings: no repeat, no retry, no timeout unless changed.</summary>
    public static CreateActionRequest For(string actionId, string group, params string[] abnormalWays) => new()
    {
        ActionId = actionId,
        Alert = new ActionAlert
        {
            Id = "alert-" + actionId,
            Name = "CPU high",
            Level = 1,
            Content = "cpu 95%",
            Dimensions = new Dictionary<string, string> { ["host"] = "h1" },
            BeginTime = DateTimeOffset.UtcNow,
        },
        NotifyConfig = new ActionNotifyConfig
        {
            UserGroups = [group],
            Steps = new Dictionary<NotifyStep, IReadOnlyList<string>> { [NotifyStep.Abnormal] = abnormalWays.Length > 0 ? abnormalWays : ["mail"] },
        },
        ExecuteConfig = new ActionExecuteConfig { NeedPoll = false },
    };

    public static CreateActionRequest WithSteps(this CreateActionRequest request, NotifyStep step, params string[] ways)
    {
        var steps = request.NotifyConfig.Steps.ToDictionary(s => s.Key, s => s.Value);
        steps[step] = ways;
        return request with { NotifyConfig = request.NotifyConfig with { Steps = steps } };
    }

    public static CreateActionRequest Repeating(this CreateActionRequest request, int intervalSeconds, IntervalNotifyMode mode) =>
        request with { ExecuteConfig = request.ExecuteConfig with { NeedPoll = true, NotifyInterval = intervalSeconds, IntervalNotifyMode = mode } };

    public static CreateActionRequest WithRetry(this CreateActionRequest request, int maxRetryTimes, int retryInterval, int timeout = 0) =>
        request with
        {
            ExecuteConfig = request.ExecuteConfig with
            {
                FailedRetry = new FailedRetryConfig { IsEnabled = true, MaxRetryTimes = maxRetryTimes, RetryInterval = retryInterval, Timeout = timeout },
            },
        };
}
