using System.CommandLine;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Client.Cli;

/// <summary><c>notify send email|rtx|wechat|sms|voice|wework</c>: one command per channel, with BK-CI's base options on each.</summary>
internal static class SendCommands
{
    public static Command Create(GlobalOptions global) => new("send", "Send a notification")
    {
        Email(global),
        Rtx(global),
        Wechat(global),
        Sms(global),
        Voice(global),
        Wework(global),
        TemplateCommands.Send(global),
    };

    private static Command Email(GlobalOptions global)
    {
        var to = Receivers("--to", "E-mail address or username (repeatable)", required: false);
        var cc = Receivers("--cc", "Carbon copy (repeatable)", required: false);
        var bcc = Receivers("--bcc", "Blind carbon copy (repeatable)", required: false);
        var title = new Option<string>("--title") { Description = "Subject" };
        var body = new Option<string>("--body") { Description = "Body" };
        var format = new Option<EmailFormat>("--format") { Description = "text or html", DefaultValueFactory = _ => EmailFormat.Text };
        var file = new Option<FileInfo?>("--file") { Description = "Send every line of this file instead: one JSON e-mail body per line, the REST body's fields (messages.jsonl)" };
        var parallel = new Option<int>("--parallel") { Description = "Batches (of 100 lines) in flight at once with --file", DefaultValueFactory = _ => 4 };
        var common = new BaseOptions();
        var command = new Command("email", "Send an e-mail, or one per line of a file") { to, cc, bcc, title, body, format, file, parallel };
        common.AddTo(command);
        command.Validators.Add(result =>
        {
            var bulk = result.GetValue(file) is not null;
            foreach (var single in new Option[] { to, title, body })
            {
                var given = result.GetResult(single) is { Implicit: false };
                if (bulk && given)
                {
                    result.AddError($"{single.Name} cannot be combined with --file: each line carries its own");
                }
                else if (!bulk && !given)
                {
                    result.AddError($"Option '{single.Name}' is required (or --file).");
                }
            }

            if (result.GetResult(parallel) is { Implicit: false } parallelGiven && parallelGiven.GetValueOrDefault<int>() is < 1 or > 256)
            {
                result.AddError("--parallel must be 1-256");
            }
        });
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            if (parsed.GetValue(file) is { } path)
            {
                return await SendFileAsync(client, output, path, common.Read(parsed), parsed.GetValue(parallel), cancellationToken);
            }

            output.Accepted(await client.SendEmailAsync(
                parsed.GetValue(to)!, parsed.GetValue(title)!, parsed.GetValue(body)!, parsed.GetValue(format), parsed.GetValue(cc), parsed.GetValue(bcc), common.Read(parsed)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The command's base options are every line's defaults; a line's own fields win.</summary>
    private static async Task<int> SendFileAsync(INotifyClient client, CliOutput output, FileInfo file, SendOptions defaults, int parallel, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            output.Error($"--file: {file.FullName} does not exist");
            return ExitCodes.Usage;
        }

        var lines = BulkEmailSend.ReadLines(file.FullName);
        var results = await output.WithProgressAsync($"sending {lines.Count} e-mails", lines.Count,
            lineDone => BulkEmailSend.RunAsync(client, lines, defaults, parallel, lineDone, cancellationToken));
        output.Bulk(results);
        return results.All(r => r.Accepted is not null) ? ExitCodes.Ok : ExitCodes.PartiallyAccepted;
    }

    private static Command Rtx(GlobalOptions global)
    {
        var to = Receivers("--to", "WeCom user id or username (repeatable)");
        var title = Text("--title", "Title");
        var body = Text("--body", "Body");
        var common = new BaseOptions();
        var command = new Command("rtx", "Send a WeCom (RTX) application message") { to, title, body };
        common.AddTo(command);
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Accepted(await client.SendRtxAsync(parsed.GetValue(to)!, parsed.GetValue(title)!, parsed.GetValue(body)!, common.Read(parsed)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Wechat(GlobalOptions global)
    {
        var to = Receivers("--to", "WeChat open id or username (repeatable)");
        var body = Text("--body", "Body");
        var common = new BaseOptions();
        var command = new Command("wechat", "Send a WeChat message") { to, body };
        common.AddTo(command);
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Accepted(await client.SendWechatAsync(parsed.GetValue(to)!, parsed.GetValue(body)!, common.Read(parsed)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Sms(GlobalOptions global)
    {
        var to = Receivers("--to", "Phone number or username (repeatable)");
        var body = Text("--body", "Text");
        var common = new BaseOptions();
        var command = new Command("sms", "Send a text message") { to, body };
        common.AddTo(command);
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Accepted(await client.SendSmsAsync(parsed.GetValue(to)!, parsed.GetValue(body)!, common.Read(parsed)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Voice(GlobalOptions global)
    {
        var to = Receivers("--to", "Phone number or username (repeatable)");
        var content = Text("--content", "What the call says");
        var taskName = new Option<string>("--task-name") { Description = "Call task name", DefaultValueFactory = _ => "" };
        var transferTo = new Option<string>("--transfer-to") { Description = "Who an unanswered call is transferred to", DefaultValueFactory = _ => "" };
        var interval = new Option<int>("--interval") { Description = "Seconds between re-calls" };
        var recall = new Option<int>("--recall") { Description = "How many times an unanswered call is repeated" };
        var common = new BaseOptions();
        var command = new Command("voice", "Place a voice call") { to, content, taskName, transferTo, interval, recall };
        common.AddTo(command);
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Accepted(await client.SendVoiceAsync(
                parsed.GetValue(to)!, parsed.GetValue(content)!, parsed.GetValue(taskName)!, parsed.GetValue(transferTo)!, parsed.GetValue(interval), parsed.GetValue(recall), common.Read(parsed)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Wework(GlobalOptions global)
    {
        var chat = Receivers("--chat", "Robot chat id (repeatable)");
        var message = Text("--message", "The message");
        var textType = new Option<RobotTextType>("--text-type") { Description = "text or markdown", DefaultValueFactory = _ => RobotTextType.Text };
        var mention = Receivers("--mention", "WeCom user id to @-mention, or @all (repeatable)", required: false);
        var common = new BaseOptions();
        var command = new Command("wework", "Post to a WeCom group robot") { chat, message, textType, mention };
        common.AddTo(command);
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Accepted(await client.SendWeworkAsync(parsed.GetValue(chat)!, parsed.GetValue(message)!, parsed.GetValue(textType), parsed.GetValue(mention), common.Read(parsed)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Option<string[]> Receivers(string name, string description, bool required = true) => new(name)
    {
        Description = description,
        Required = required,
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };

    private static Option<string> Text(string name, string description) => new(name) { Description = description, Required = true };

    /// <summary>BK-CI's base fields as options; a fresh set per command because an option belongs to one command.</summary>
    private sealed class BaseOptions
    {
        private readonly Option<string> _source = new("--source") { Description = "Calling system or module", DefaultValueFactory = _ => "" };
        private readonly Option<string> _sender = new("--sender") { Description = "Sender, for the record", DefaultValueFactory = _ => "" };
        private readonly Option<NotifyPriority> _priority = new("--priority") { Description = "low, normal or high", DefaultValueFactory = _ => NotifyPriority.Normal };
        private readonly Option<int> _frequencyLimit = new("--frequency-limit") { Description = "Minutes within which the same content is not resent to a receiver" };
        private readonly Option<int> _delay = new("--delay") { Description = "Seconds before the first attempt" };
        private readonly Option<string?> _requestId = new("--request-id") { Description = "Idempotency key" };

        public void AddTo(Command command)
        {
            command.Add(_source);
            command.Add(_sender);
            command.Add(_priority);
            command.Add(_frequencyLimit);
            command.Add(_delay);
            command.Add(_requestId);
        }

        public SendOptions Read(ParseResult parsed) => new()
        {
            Source = parsed.GetValue(_source)!,
            Sender = parsed.GetValue(_sender)!,
            Priority = parsed.GetValue(_priority),
            FrequencyLimitMinutes = parsed.GetValue(_frequencyLimit),
            DelaySeconds = parsed.GetValue(_delay),
            RequestId = parsed.GetValue(_requestId),
        };
    }
}
