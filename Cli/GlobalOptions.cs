using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Notify.Client.Gateway;
using Notify.Grains.Abstractions;
using Orleans.Runtime;

namespace Notify.Client.Cli;

/// <summary>Options every command takes: where the cluster is (its Orleans gateway, or <c>--gateway</c> for gRPC), and <c>--json</c>.</summary>
internal sealed class GlobalOptions
{
    public const string ApiKeyVariable = "NOTIFY_API_KEY";

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

    public Option<Uri?> Gateway { get; } = new("--gateway")
    {
        Description = "Go through the gRPC gateway at this URL (http://host:5081) instead of the Orleans gateway",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                return url;
            }

            result.AddError($"--gateway: '{text}' is not an http:// or https:// URL");
            return null;
        },
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The gateway's API key (x-api-key); with --gateway. Default: the NOTIFY_API_KEY environment variable, which keeps the key out of the shell history",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null,
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
        root.Add(Gateway);
        root.Add(ApiKey);
        root.Add(Json);
    }

    /// <summary>
    /// Connects, runs <paramref name="action"/> and turns failures into a message and an exit code: request errors
    /// name the field, an unreachable cluster says where it looked.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken, Func<INotifyClient, CliOutput, Task<int>> action)
    {
        var output = new CliOutput(parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, parsed.GetValue(Json));
        if (parsed.GetValue(Gateway) is { } gateway)
        {
            using var channel = GrpcChannel.ForAddress(gateway);
            return await RunActionAsync(new NotifyGatewayClient(channel, parsed.GetValue(ApiKey)), output, action);
        }

        if (parsed.GetResult(ApiKey) is { Implicit: false })
        {
            output.Error("--api-key is for the gRPC gateway: add --gateway http://host:5081 (the Orleans gateway takes no key)");
            return ExitCodes.Usage;
        }

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
            return await RunActionAsync(connection.Client, output, action);
        }
    }

    private static async Task<int> RunActionAsync(INotifyClient client, CliOutput output, Func<INotifyClient, CliOutput, Task<int>> action)
    {
        try
        {
            return await action(client, output);
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
        catch (RpcException exception) when (exception.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            output.Error($"the gateway refused the key: {exception.Status.Detail}");
            return ExitCodes.KeyRefused;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.ResourceExhausted)
        {
            output.Error($"the gateway is limiting this key: {exception.Status.Detail}");
            return ExitCodes.RateLimited;
        }
    }
}
