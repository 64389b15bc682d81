using Notify.Grains.Abstractions.Actions;

namespace Notify.UnitTests.Actions;

/// <summary>The request of DESIGN.md's <c>POST /service/actions</c> example, as tests start from it.</summary>
internal static class ActionRequests
{
    public static CreateActionRequest Design(string actionId = "a1") => new()
    {
        ActionId = actionId,
        Alert = new ActionAlert
        {
            Id = "alert-1",
            Name = "CPU high",
            Level = 1,
            Status = AlertStatus.Abnormal,
            Content = "cpu 95%",
            Dimensions = new Dictionary<string, string> { ["host"] = "h1" },
            BeginTime = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero),
        },
        NotifyConfig = new ActionNotifyConfig
        {
            UserGroups = ["ops"],
            Steps = new Dictionary<NotifyStep, IReadOnlyList<string>>
            {
                [NotifyStep.Abnormal] = ["mail", "rtx"],
                [NotifyStep.Recovered] = ["mail"],
                [NotifyStep.Ack] = ["mail"],
            },
        },
        ExecuteConfig = new ActionExecuteConfig
        {
            NeedPoll = true,
            NotifyInterval = 7200,
            IntervalNotifyMode = IntervalNotifyMode.Increasing,
            FailedRetry = new FailedRetryConfig { IsEnabled = true, MaxRetryTimes = 2, RetryInterval = 60, Timeout = 600 },
        },
    };

    public static CreateActionRequest WithSteps(this CreateActionRequest request, NotifyStep step, params string[] ways)
    {
        var steps = request.NotifyConfig.Steps.ToDictionary(s => s.Key, s => s.Value);
        steps[step] = ways;
        return request with { NotifyConfig = request.NotifyConfig with { Steps = steps } };
    }

    public static CreateActionRequest WithExecute(this CreateActionRequest request, Func<ActionExecuteConfig, ActionExecuteConfig> change) =>
        request with { ExecuteConfig = change(request.ExecuteConfig) };

    public static CreateActionRequest WithRetry(this CreateActionRequest request, Func<FailedRetryConfig, FailedRetryConfig> change) =>
        request with { ExecuteConfig = request.ExecuteConfig with { FailedRetry = change(request.ExecuteConfig.FailedRetry) } };
}
