using System.Text.Json;
using System.Text.Json.Serialization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Notify.Client.Cli;

/// <summary>Everything the CLI prints: readable tables by default, the same data as JSON with <c>--json</c>.</summary>
internal sealed partial class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly bool _json;
    private readonly IAnsiConsole _console;

    public CliOutput(TextWriter output, TextWriter error, bool json)
    {
        _output = output;
        _error = error;
        _json = json;
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            // A terminal gets the live progress bar of bulk sends; redirected output gets plain progress lines.
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output is read by programs and people with wide windows: do not wrap at 80 columns.
            _console.Profile.Width = 240;
        }
    }

    public void Error(string message) => _error.WriteLine($"error: {message}");

    public void Accepted(SubmitResult result) => Write(result, () =>
        _output.WriteLine(result.Replayed ? $"already accepted as {result.MessageId} (same request id)" : $"accepted {result.MessageId}"));

    public void Record(MessageRecord record) => Write(record, () =>
    {
        var message = record.Message;
        var fields = new Grid().AddColumn().AddColumn();
        AddField(fields, "id", record.Id);
        AddField(fields, "channel", record.Channel.Name());
        AddField(fields, "status", Wire(record.Status));
        AddField(fields, "title", message.Title);
        AddField(fields, "source", message.Source);
        AddField(fields, "sender", message.Sender);
        AddField(fields, "priority", Wire(message.Priority));
        AddField(fields, "frequency limit", $"{message.FrequencyLimitMinutes} min");
        AddField(fields, "delay", $"{message.DelaySeconds} s");
        AddField(fields, "attempts", $"{record.Attempts} ({record.RetryCount} retries)");
        AddField(fields, "last error", record.LastError ?? "");
        AddField(fields, "content md5", record.ContentMd5);
        AddField(fields, "created", $"{record.CreatedAt:u}");
        AddField(fields, "completed", record.CompletedAt is { } completed ? $"{completed:u}" : "");
        AddField(fields, "possible duplicate", record.UnknownOutcomeAttempt is { } unknown
            ? $"yes (the outcome of attempt {unknown} is unknown)"
            : record.PossibleDuplicate ? "yes" : "no");
        _console.Write(fields);

        var receivers = NewTable("receiver", "kind", "status", "reason", "address", "detail", "possible duplicate");
        foreach (var outcome in record.Receivers)
        {
            var duplicate = outcome.UnknownOutcomeAttempt is { } attempt ? $"attempt {attempt}" : "";
            AddRow(receivers, outcome.Receiver, Wire(outcome.Kind), Wire(outcome.Status), outcome.Reason.WireName(), outcome.Address ?? "", outcome.Detail ?? "", duplicate);
        }

        _console.Write(receivers);
    });

    public void Page(MessagePage page) => Write(page, () =>
    {
        var table = NewTable("id", "channel", "status", "created", "source", "title", "receivers");
        foreach (var record in page.Items)
        {
            var receivers = string.Join(", ", record.Receivers.GroupBy(r => r.Status).Select(g => $"{g.Count()} {Wire(g.Key)}"));
            AddRow(table, record.Id, record.Channel.Name(), Wire(record.Status), $"{record.CreatedAt:u}", record.Message.Source, record.Message.Title, receivers);
        }

        _console.Write(table);
        if (page.Total is { } total)
        {
            var pages = (int)Math.Ceiling(total / (double)page.PageSize);
            _output.WriteLine($"page {page.Page} of {Math.Max(pages, 1)}, {total} messages");
        }

        if (page.NextCursor is { } next)
        {
            _output.WriteLine($"more: --after {next}");
        }
    });

    public void WhyNot(string receiver, IReadOnlyList<ReceiverHistoryEntry> entries) => Write(entries, () =>
    {
        if (entries.Count == 0)
        {
            _output.WriteLine($"no message named {receiver}");
            return;
        }

        var table = NewTable("message", "channel", "created", "receiver status", "explanation");
        foreach (var entry in entries)
        {
            AddRow(table, entry.MessageId, entry.Channel.Name(), $"{entry.CreatedAt:u}", Wire(entry.Outcome.Status), entry.Explanation);
        }

        _console.Write(table);
    });

    public void Users(IReadOnlyList<string> users) => Write(new { users }, () =>
    {
        foreach (var user in users)
        {
            _output.WriteLine(user);
        }

        _output.WriteLine($"{users.Count} blacklisted");
    });

    public void Contact(Contact contact) => Write(contact, () =>
    {
        var fields = new Grid().AddColumn().AddColumn();
        AddField(fields, "username", contact.Username);
        AddField(fields, "email", contact.Email);
        AddField(fields, "phone", contact.Phone);
        AddField(fields, "wecom user id", contact.WecomUserId);
        AddField(fields, "wechat open id", contact.WechatOpenId);
        AddField(fields, "updated", $"{contact.UpdatedAt:u}");
        _console.Write(fields);
    });

    /// <summary>Runs a bulk job under a progress bar (not with <c>--json</c>: scripts read the summary only).</summary>
    public async Task<T> WithProgressAsync<T>(string description, int total, Func<Action, Task<T>> run)
    {
        if (_json)
        {
            return await run(() => { });
        }

        if (!_console.Profile.Capabilities.Interactive)
        {
            // Redirected output: plain lines at every tenth, the same wherever it runs (Spectre's fallback is not).
            var done = 0;
            var step = Math.Max(1, total / 10);
            _output.WriteLine($"{description}: 0/{total}");
            return await run(() =>
            {
                var now = Interlocked.Increment(ref done);
                if (now % step == 0 || now == total)
                {
                    _output.WriteLine($"{description}: {now}/{total}");
                }
            });
        }

        return await _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: total);
                return await run(() => task.Increment(1));
            });
    }

    public void Bulk(IReadOnlyList<BulkLineResult> results)
    {
        var accepted = results.Count(r => r.Accepted is not null);
        var replayed = results.Count(r => r.Accepted is { Replayed: true });
        var failed = results.Where(r => r.Error is not null).ToArray();
        var lines = results.Select(r => new { line = r.Line, messageId = r.Accepted?.MessageId, replayed = r.Accepted?.Replayed, error = r.Error });
        Write(new { accepted, replayed, failed = failed.Length, lines }, () =>
        {
            if (failed.Length > 0)
            {
                var table = NewTable("line", "error");
                foreach (var failure in failed)
                {
                    AddRow(table, failure.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Error!);
                }

                _console.Write(table);
            }

            _output.WriteLine($"accepted {accepted} ({replayed} already accepted before), failed {failed.Length}");
        });
    }

    public void NewKey(string key, string hash, string setting) => Write(new { key, hash, setting }, () =>
    {
        _output.WriteLine($"key:  {key}");
        _output.WriteLine($"hash: {hash}");
        _output.WriteLine($"Give the key to its caller (x-api-key) and configure the hash as {setting}; the key is not shown again.");
    });

    public void KeyHash(string hash) => Write(new { hash }, () => _output.WriteLine(hash));

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

    private static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
