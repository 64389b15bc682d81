using System.CommandLine;

namespace Notify.Client.Cli;

/// <summary><c>notify messages retry|cancel</c>: an operator's actions on one message, recorded with who asked.</summary>
internal static class OperatorCommands
{
    public static Command Retry(GlobalOptions global)
    {
        var id = new Argument<string>("id") { Description = "Message id (msg_…) of a failed or partially sent message" };
        var receiver = new Option<string?>("--receiver") { Description = "Retry only this receiver (as written, or its address); default: every failed one" };
        var note = new Option<string?>("--note") { Description = "Why, for the record" };
        var command = new Command("retry", "Send a failed message again, under the same record") { id, receiver, note };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Record(await client.RetryMessageAsync(parsed.GetValue(id)!, parsed.GetValue(receiver), parsed.GetValue(note)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Cancel(GlobalOptions global)
    {
        var id = new Argument<string>("id") { Description = "Message id (msg_…) of a pending, delayed or retrying message" };
        var note = new Option<string?>("--note") { Description = "Why, for the record" };
        var command = new Command("cancel", "Cancel a message that is not final yet") { id, note };
        command.SetAction((parsed, cancellationToken) => global.RunAsync(parsed, cancellationToken, async (client, output) =>
        {
            output.Record(await client.CancelMessageAsync(parsed.GetValue(id)!, parsed.GetValue(note)));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
