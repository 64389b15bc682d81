using System.CommandLine;
using Notify.Grains.Abstractions;
using Orleans.Runtime;

namespace Notify.Client.Cli;

/// <summary>Options every command takes: where the cluster is, and <c>--json</c>.</summary>
internal sealed class GlobalOptions
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    public Option<int> OrleansPort { get; } = new("--orleans-port")
    {
        Description = "The silo's Orleans gateway port (Silo:GatewayPort)",
        DefaultValueFactory = _ => new NotifyClientOptions().GatewayPort,
        Recursive = true,
    };

    public Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = "Orleans:ClusterId of the silos",
        DefaultValueFactory = _ => new NotifyClientOptions().ClusterId,
        Recursive = true,
    };

    public Option<string> ServiceId { get; } = new("--service-id")
    {
        Description = "Orleans:ServiceId of the silos",
        DefaultValueFactory = _ => new NotifyClientOptions().ServiceId,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON instead of tables",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Add(OrleansPort);
        root.Add(ClusterId);
        root.Add(ServiceId);
        root.Add(Json);
    }

    /// <summary>
    /// Connects, runs <paramref name="action"/> and turns failures into a message and an exit code: request errors
    /// name the field, an unreachable cluster says where it looked.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken, Func<NotifyClient, CliOutput, Task<int>> action)
    {
        var output = new CliOutput(parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, parsed.GetValue(Json));
        var options = new NotifyClientOptions
        {
            GatewayPort = parsed.GetValue(OrleansPort),
            ClusterId = parsed.GetValue(ClusterId)!,
            ServiceId = parsed.GetValue(ServiceId)!,
        };

        NotifyClientConnection connection;
        try
        {
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connecting.CancelAfter(ConnectTimeout);
            connection = await NotifyClientConnection.ConnectAsync(options, connecting.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            output.Error($"cannot reach the notify cluster '{options.ClusterId}' at localhost:{options.GatewayPort}: {exception.Message}");
            return ExitCodes.Unavailable;
        }

        await using (connection)
        {
            try
            {
                return await action(connection.Client, output);
            }
            catch (NotifyRequestException exception)
            {
                foreach (var fieldError in exception.Errors)
                {
                    output.Error(fieldError.ToString());
                }

                return ExitCodes.For(exception.Kind);
            }
            catch (Exception exception) when (exception is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                output.Error($"the cluster did not answer: {exception.Message}");
                return ExitCodes.Unavailable;
            }
        }
    }
}
