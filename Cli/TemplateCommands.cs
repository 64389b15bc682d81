using System.CommandLine;
using System.CommandLine.Parsing;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Client.Cli;

/// <summary>
/// <c>notify templates list|get|create|update|delete|preview</c> and <c>notify send template</c>. Template files are the JSON
/// that <c>templates get --json</c> prints (<see cref="TemplateDocument"/>).
/// </summary>
internal static class TemplateCommands
{
    public static Command Create(GlobalOptions global) => new("templates", "Manage message templates")
    {
        List(global),
        Get(global),
        CreateTemplate(global),
        Update(global),
        Delete(global),
        Preview(global),
    };

    /// <summary><c>notify send template --code X --to … --param k=v …</c>.</summary>
    public static Command Send(GlobalOptions global)
    {
        var code = new Option<string>("--code") { Description = "Template code (BUILD_SUCCESS…)", Required = true };
        var to = Strings("--to", "Username or channel address (repeatable)", required: true);
        var cc = Strings("--cc", "E-mail carbon copy (repeatable)");
        var bcc = Strings("--bcc", "E-mail blind carbon copy (repeatable)");
        var mention = Strings("--mention", "Robot: WeCom user id to @-mention, or @all (repeatable)");
        var parameters = new TemplateParameterOptions();
        var channels = Channels("Channel to send on (repeatable); none means every channel in the template's scope");
        var source = new Option<string>("--source") { Description = "Calling system or module (default: the template's)", DefaultValueFactory = _ => "" };
        var sender = new Option<string>("--sender") { Description = "Sender, for the record", DefaultValueFactory = _ => "" };
        var priority = new Option<NotifyPriority?>("--priority") { Description = "low, normal or high (default: the template's)" };
        var frequencyLimit = new Option<int>("--frequency-limit") { Description = "Minutes within which the same content is not resent to a receiver" };
        var delay = new Option<int>("--delay") { Description = "Seconds before the first attempt" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (each channel's message takes KEY/channel)" };
        var command = new Command("template", "Send by template: one message per channel")
        {
            code, to, cc, bcc, mention, channels, source, sender, priority, frequencyLimit, delay, requestId,
        };
        parameters.AddTo(command);
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var (titleParams, bodyParams) = parameters.Read(parsed);
            output.TemplateSent(await client.SendByTemplateAsync(new TemplateSendRequest
            {
                TemplateCode = parsed.GetValue(code)!,
                Receivers = parsed.GetValue(to)!,
                Cc = parsed.GetValue(cc)!,
                Bcc = parsed.GetValue(bcc)!,
                MentionedList = parsed.GetValue(mention)!,
                TitleParams = titleParams,
                BodyParams = bodyParams,
                NotifyTypes = parsed.GetValue(channels)!,
                Source = parsed.GetValue(source)!,
                Sender = parsed.GetValue(sender)!,
                Priority = parsed.GetValue(priority),
                FrequencyLimitMinutes = parsed.GetValue(frequencyLimit),
                DelaySeconds = parsed.GetValue(delay),
                RequestId = parsed.GetValue(requestId),
            }));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "List the templates");
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Templates(await client.ListTemplatesAsync());
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Get(GlobalOptions global)
    {
        var code = Code();
        var command = new Command("get", "Show a template (with --json: a file that create/update take)") { code };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var templateCode = parsed.GetValue(code)!;
            if (await client.GetTemplateAsync(templateCode) is not { } record)
            {
                output.Error($"templateCode: no template {TemplateKeys.Normalize(templateCode)}");
                return ExitCodes.NotFound;
            }

            output.Template(record);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateTemplate(GlobalOptions global)
    {
        var file = TemplateFile();
        var command = new Command("create", "Create a template from a JSON file") { file };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var document = TemplateDocument.Read(await File.ReadAllTextAsync(parsed.GetValue(file)!.FullName, cancellationToken));
            output.TemplateChanged("created", await client.CreateTemplateAsync(document.ToTemplate(code: null)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Update(GlobalOptions global)
    {
        var code = new Argument<string?>("code") { Description = "Template code (default: the file's templateCode)", Arity = ArgumentArity.ZeroOrOne };
        var file = TemplateFile();
        var expectedVersion = new Option<long?>("--expected-version")
        {
            Description = "Refuse the update if the template is no longer at this version (default: the file's version, if any)",
        };
        var command = new Command("update", "Replace a template with a JSON file") { code, file, expectedVersion };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var document = TemplateDocument.Read(await File.ReadAllTextAsync(parsed.GetValue(file)!.FullName, cancellationToken));
            var templateCode = parsed.GetValue(code);
            if (templateCode is not null && document.TemplateCode is { } fileCode && TemplateKeys.Normalize(fileCode) != TemplateKeys.Normalize(templateCode))
            {
                output.Error($"templateCode: the file is template {fileCode}, not {templateCode}");
                return ExitCodes.Usage;
            }

            var record = await client.UpdateTemplateAsync(document.ToTemplate(templateCode), parsed.GetValue(expectedVersion) ?? document.Version);
            output.TemplateChanged("updated", record);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Delete(GlobalOptions global)
    {
        var code = Code();
        var command = new Command("delete", "Delete a template (a deleted built-in is not seeded again)") { code };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var templateCode = parsed.GetValue(code)!;
            if (!await client.DeleteTemplateAsync(templateCode))
            {
                output.Error($"templateCode: no template {TemplateKeys.Normalize(templateCode)}");
                return ExitCodes.NotFound;
            }

            output.Done($"deleted template {TemplateKeys.Normalize(templateCode)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Preview(GlobalOptions global)
    {
        var code = Code();
        var parameters = new TemplateParameterOptions();
        var channels = Channels("Channel to render (repeatable); none means every channel in the template's scope");
        var command = new Command("preview", "Render a template with parameters, without sending") { code, channels };
        parameters.AddTo(command);
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var (titleParams, bodyParams) = parameters.Read(parsed);
            output.Preview(await client.PreviewTemplateAsync(parsed.GetValue(code)!, titleParams, bodyParams, parsed.GetValue(channels)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Argument<string> Code() => new("code") { Description = "Template code (case-insensitive)" };

    private static Option<FileInfo> TemplateFile() => new Option<FileInfo>("--file")
    {
        Description = "JSON template, as 'templates get CODE --json' prints it",
        Required = true,
    }.AcceptExistingOnly();

    private static Option<string[]> Strings(string name, string description, bool required = false) => new(name)
    {
        Description = description,
        Required = required,
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
    };

    private static Option<NotifyChannel[]> Channels(string description) => new("--channel")
    {
        Description = $"{description}: {ChannelNames.Accepted}",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [],
        CustomParser = result =>
        {
            var channels = new List<NotifyChannel>();
            foreach (var token in result.Tokens)
            {
                if (ChannelNames.TryParse(token.Value, out var channel))
                {
                    channels.Add(channel);
                }
                else
                {
                    result.AddError($"--channel: '{token.Value}' is not a channel ({ChannelNames.Accepted})");
                }
            }

            return [.. channels];
        },
    };

    /// <summary>
    /// <c>--param k=v</c> (title and body alike, as most templates share one set of names), <c>--title-param</c> and
    /// <c>--body-param</c>; a fresh set per command because an option belongs to one command.
    /// </summary>
    private sealed class TemplateParameterOptions
    {
        private readonly Option<KeyValuePair<string, string>[]> _both = Pairs("--param", "Template parameter key=value, for title and body (repeatable)", "--params");
        private readonly Option<KeyValuePair<string, string>[]> _title = Pairs("--title-param", "Title parameter key=value (repeatable)");
        private readonly Option<KeyValuePair<string, string>[]> _body = Pairs("--body-param", "Body parameter key=value (repeatable)");

        public void AddTo(Command command)
        {
            command.Add(_both);
            command.Add(_title);
            command.Add(_body);
        }

        /// <summary>A key given twice takes its last value; <c>--title-param</c>/<c>--body-param</c> win over <c>--param</c>.</summary>
        public (IReadOnlyDictionary<string, string> Title, IReadOnlyDictionary<string, string> Body) Read(ParseResult parsed)
        {
            var both = parsed.GetValue(_both)!;
            return (Merge(both, parsed.GetValue(_title)!), Merge(both, parsed.GetValue(_body)!));
        }

        private static Dictionary<string, string> Merge(KeyValuePair<string, string>[] shared, KeyValuePair<string, string>[] own)
        {
            var merged = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in shared.Concat(own))
            {
                merged[key] = value;
            }

            return merged;
        }

        private static Option<KeyValuePair<string, string>[]> Pairs(string name, string description, params string[] aliases)
        {
            var option = new Option<KeyValuePair<string, string>[]>(name, aliases)
            {
                Description = description,
                AllowMultipleArgumentsPerToken = true,
                DefaultValueFactory = _ => [],
                CustomParser = Parse,
            };
            return option;

            KeyValuePair<string, string>[] Parse(ArgumentResult result)
            {
                var pairs = new List<KeyValuePair<string, string>>();
                foreach (var token in result.Tokens)
                {
                    // Split at the first '=': values may contain '=' (URLs, expressions).
                    var separator = token.Value.IndexOf('=');
                    if (separator > 0)
                    {
                        pairs.Add(new(token.Value[..separator], token.Value[(separator + 1)..]));
                    }
                    else
                    {
                        result.AddError($"{name}: '{token.Value}' is not key=value");
                    }
                }

                return [.. pairs];
            }
        }
    }
}
