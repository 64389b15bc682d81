using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Spectre.Console;

namespace Notify.Client.Cli;

/// <summary>
/// Action instances and user groups: fields and a table of notices by default, the library's view as JSON with
/// <c>--json</c> (statuses in bk-monitor's snake_case, as <c>notify messages get --json</c> prints records).
/// </summary>
internal sealed partial class CliOutput
{
    public void Action(ActionInstanceView action) => Write(action, () =>
    {
        var alert = action.Alert;
        var fields = new Grid().AddColumn().AddColumn();
        AddField(fields, "action", action.ActionId);
        AddField(fields, "status", action.Status.WireName() + (action.FailureType is { } failure ? $" ({failure.WireName()})" : ""));
        AddField(fields, "alert", $"{alert.Id} · {alert.Name} · level {alert.Level} · {alert.Status.WireName()}");
        AddField(fields, "user groups", string.Join(", ", action.Request.NotifyConfig.UserGroups));
        AddField(fields, "execute times", $"{action.ExecuteTimes} (retry {action.RetryTimes})");
        AddField(fields, "next notify", action.NextNotifyTime is { } next ? $"{next:u}" : "");
        AddField(fields, "interval", Interval(action.Request.ExecuteConfig));
        AddField(fields, "shielded", action.Shielded ? "yes" : "no");
        AddField(fields, "stop signal", action.StopSignal?.ToString().ToLowerInvariant() ?? "");
        AddField(fields, "created", $"{action.CreatedAt:u}");
        AddField(fields, "ended", action.EndTime is { } end ? $"{end:u}" : "");
        _console.Write(fields);

        if (action.Runs.Count == 0)
        {
            _output.WriteLine("no notices yet");
            return;
        }

        var notices = NewTable("step", "run", "started", "outcome", "way", "way status", "message", "detail");
        foreach (var run in action.Runs)
        {
            var runName = run.RetryTimes > 0 ? $"{run.ExecuteTimes} retry {run.RetryTimes}" : $"{run.ExecuteTimes}";
            var outcome = run.Outcome is { } status ? status.WireName() + (run.FailureType is { } type ? $" ({type.WireName()})" : "") : "running";
            if (run.SkipReason is { } reason)
            {
                AddRow(notices, run.Step.WireName(), runName, $"{run.StartedAt:u}", outcome, "", "", "", reason);
            }

            foreach (var result in run.Results)
            {
                AddRow(notices, run.Step.WireName(), runName, $"{run.StartedAt:u}", outcome, result.NoticeWay, result.Status.WireName(), result.MessageId ?? "", Detail(result));
            }
        }

        _console.Write(notices);
        if (action.DroppedRuns > 0)
        {
            _output.WriteLine($"{action.DroppedRuns} older runs are no longer kept");
        }
    });

    public void UserGroup(UserGroup group) => Write(group, () =>
    {
        var fields = new Grid().AddColumn().AddColumn();
        AddField(fields, "group", group.GroupId);
        AddField(fields, "name", group.Name);
        AddField(fields, "members", string.Join(", ", group.Members));
        AddField(fields, "time zone", group.TimeZone);
        foreach (var rule in group.NoticeRules)
        {
            var steps = string.Join("; ", rule.Steps.Select(s => $"{s.Key.WireName()}: {string.Join(", ", s.Value)}"));
            var ranges = rule.TimeRanges.Count > 0 ? $" ({string.Join(", ", rule.TimeRanges)})" : "";
            AddField(fields, $"level {rule.Level}", steps + ranges);
        }

        if (group.Duty is { } duty)
        {
            AddField(fields, "duty", $"{string.Join(" → ", duty.Shifts.Select(s => string.Join("+", s.Members)))}, hand-over {string.Join(", ", duty.HandOverTimes.Select(t => t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)))} every {duty.ShiftDays} day(s) from {duty.StartDate:yyyy-MM-dd}");
        }

        AddField(fields, "updated", $"{group.UpdatedAt:u}");
        _console.Write(fields);
    });

    private static string Interval(ActionExecuteConfig config) =>
        !config.NeedPoll || config.NotifyInterval <= 0 ? "no repeat" : $"{config.NotifyInterval} s, {config.IntervalNotifyMode.WireName()}";

    private static string Detail(NoticeResult result) =>
        result.Error ?? (result.Status.IsFinal() ? $"{result.Sent} sent, {result.Failed} failed, {result.Suppressed} suppressed, {result.Blocked} blocked" : "");
}
