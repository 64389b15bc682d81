using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Notify.Client.Cli;

/// <summary>
/// How the CLI prints action instances and user groups: fields and a table of notices by default, the library's view as
/// JSON with <c>--json</c> (statuses in bk-monitor's snake_case, as <c>notify messages get --json</c> prints records).
/// </summary>
internal sealed class ActionCliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly IAnsiConsole _console;

    private ActionCliOutput(TextWriter output, bool json)
    {
        _output = output;
        _json = json;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Read by programs and by people with wide windows: do not wrap at 80 columns.
        _console.Profile.Width = 240;
    }

    public static ActionCliOutput For(ParseResult parsed, GlobalOptions global) =>
        new(parsed.InvocationConfiguration.Output, parsed.GetValue(global.Json));

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
        AddField(fields, "updated", $"{group.UpdatedAt:u}");
        _console.Write(fields);
    });

    public void Done(string what) => Write(new { done = what }, () => _output.WriteLine(what));

    private void Write<T>(T value, Action writeText)
    {
        if (_json)
        {
            _output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        }
        else
        {
            writeText();
        }
    }

    private static string Interval(ActionExecuteConfig config) =>
        !config.NeedPoll || config.NotifyInterval <= 0 ? "no repeat" : $"{config.NotifyInterval} s, {config.IntervalNotifyMode.WireName()}";

    private static string Detail(NoticeResult result) =>
        result.Error ?? (result.Status.IsFinal() ? $"{result.Sent} sent, {result.Failed} failed, {result.Suppressed} suppressed, {result.Blocked} blocked" : "");

    private static Table NewTable(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        return table;
    }

    // Text, never markup: values come from callers and may contain '[' or ']'.
    private static void AddRow(Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());

    private static void AddField(Grid grid, string name, string value) => grid.AddRow(new Text(name), new Text(value));
}
