using System.CommandLine;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;

namespace Notify.Client.Cli;

/// <summary><c>notify messages get|list|why-not</c>: the send records.</summary>
internal static class MessageCommands
{
    public static Command Create(GlobalOptions global) => new("messages", "Inspect send records")
    {
        Get(global),
        List(global),
        WhyNot(global),
    };

    private static Command Get(GlobalOptions global)
    {
        var id = new Argument<string>("id") { Description = "Message id (msg_…)" };
        var command = new Command("get", "Show one message and what happened to each receiver") { id };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var messageId = parsed.GetValue(id)!;
            if (await client.GetMessageAsync(messageId) is not { } record)
            {
                output.Error($"no message has id '{messageId}'");
                return ExitCodes.NotFound;
            }

            output.Record(record);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(GlobalOptions global)
    {
        var channel = new Option<NotifyChannel?>("--channel") { Description = "email, rtx, wechat, sms, voice or wework" };
        var status = new Option<MessageStatus?>("--status")
        {
            Description = "pending, sending, sent, partially_sent, retrying, failed, suppressed or blocked",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (StatusNames.TryParseMessageStatus(text.Replace("_", "", StringComparison.Ordinal), out var parsedStatus))
                {
                    return parsedStatus;
                }

                result.AddError($"--status: '{text}' is not a message status");
                return null;
            },
        };
        var receiver = new Option<string?>("--receiver") { Description = "A receiver as written, or the address it resolved to" };
        var source = new Option<string?>("--source") { Description = "Calling system or module" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Created at or after (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Created before (ISO 8601)" };
        var page = new Option<int>("--page") { Description = "1-based page", DefaultValueFactory = _ => new MessageQuery().Page };
        var pageSize = new Option<int>("--page-size") { Description = $"1-{MessageQuery.MaxPageSize}", DefaultValueFactory = _ => new MessageQuery().PageSize };
        var after = new Option<string?>("--after") { Description = "Continue after this cursor (printed as 'more: --after …'); not counted" };
        var command = new Command("list", "List messages, newest first") { channel, status, receiver, source, from, to, page, pageSize, after };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Page(await client.ListMessagesAsync(new MessageQuery
            {
                Channel = parsed.GetValue(channel),
                Status = parsed.GetValue(status),
                Receiver = parsed.GetValue(receiver),
                Source = parsed.GetValue(source),
                From = parsed.GetValue(from),
                To = parsed.GetValue(to),
                Page = parsed.GetValue(page),
                PageSize = parsed.GetValue(pageSize),
                After = parsed.GetValue(after),
            }));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command WhyNot(GlobalOptions global)
    {
        var receiver = new Argument<string>("receiver") { Description = "Address or username" };
        var channel = new Option<NotifyChannel?>("--channel") { Description = "Only this channel" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Created at or after (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Created before (ISO 8601)" };
        var limit = new Option<int>("--limit") { Description = "At most this many messages", DefaultValueFactory = _ => NotifyClient.DefaultWhyNotLimit };
        var command = new Command("why-not", "Why did (or didn't) a receiver get its messages?") { receiver, channel, from, to, limit };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            var who = parsed.GetValue(receiver)!;
            output.WhyNot(who, await client.WhyNotAsync(who, parsed.GetValue(channel), parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(limit)));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
