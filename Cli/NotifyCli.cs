using System.CommandLine;

namespace Notify.Client.Cli;

/// <summary>
/// The <c>notify</c> CLI: <c>send</c>, <c>messages</c>, <c>blacklist</c>, <c>contacts</c>, against a running cluster
/// through the Orleans gateway or the gRPC gateway (<c>--gateway</c>, <c>--api-key</c>), and <c>keys</c> offline.
/// <see cref="RunAsync"/> is the whole program, callable in-process.
/// </summary>
public static class NotifyCli
{
    /// <param name="args">The command line.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <param name="input">What <c>keys hash</c> reads a key from when none is given; the console's input by default.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default, TextReader? input = null)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Send notifications and inspect them on a notify cluster.")
        {
            SendCommands.Create(global),
            MessageCommands.Create(global),
            AdminCommands.CreateBlacklist(global),
            AdminCommands.CreateContacts(global),
            TemplateCommands.Create(global),
            KeyCommands.Create(global, input ?? Console.In),
            ActionCommands.CreateActions(global),
            ActionCommands.CreateUserGroups(global),
        };
        global.AddTo(root);

        // No response files: "@all" is a WeCom mention, not a file to expand.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync("run with --help for usage");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
