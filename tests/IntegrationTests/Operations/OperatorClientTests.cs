using Notify.Client;
using Notify.Client.Cli;
using Notify.Client.Gateway;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Operations;

/// <summary>Retry and cancel from the .NET library (over Orleans and over gRPC) and from the CLI, each recorded with its operator.</summary>
public sealed class OperatorClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Library_RetryOverOrleansAndCancelOverGrpc_RecordedWithTheirOperators()
    {
        await using var host = await NotifyTestHost.StartAsync();
        host.Transport(NotifyChannel.Email).Script("lib@example.com", ScriptedTransport.Permanent());
        var orleans = new NotifyClient(host.ClusterClient);
        var grpc = new NotifyGatewayClient(host.Grpc);
        var failed = (await orleans.SendEmailAsync(["lib@example.com"], "t", "b")).MessageId;
        await host.WaitForFinalAsync(failed);
        var delayed = (await grpc.SendEmailAsync(["later@example.com"], "t", "b", options: new SendOptions { DelaySeconds = 600 })).MessageId;

        var retried = await orleans.RetryMessageAsync(failed, note: "from the library");
        var cancelled = await grpc.CancelMessageAsync(delayed, "not needed");

        Assert.Equal(MessageStatus.Sending, retried.Status);
        Assert.Equal((NotifyClient.OperatorName, "from the library"), (retried.OperatorActions[^1].Operator, retried.OperatorActions[^1].Note));
        Assert.Equal(MessageStatus.Sent, (await host.WaitForFinalAsync(failed)).Status);
        Assert.Equal(MessageStatus.Cancelled, cancelled.Status);
        Assert.Equal(new OperatorAction(OperatorActionKind.Cancel, "loopback", cancelled.CompletedAt!.Value, null, "not needed", null), Assert.Single(cancelled.OperatorActions));
        var refused = await Assert.ThrowsAsync<NotifyRequestException>(() => grpc.RetryMessageAsync(delayed));
        Assert.Equal((RequestErrorKind.Conflict, "status"), (refused.Kind, refused.Errors.Single().Field));
        var invalid = await Assert.ThrowsAsync<NotifyRequestException>(() => orleans.CancelMessageAsync(failed, new string('x', 600)));
        Assert.Equal("note", invalid.Errors.Single().Field);
    }

    [Fact]
    public async Task Cli_MessagesRetryAndCancel_PrintTheRecordWithItsOperatorActions()
    {
        await using var host = await NotifyTestHost.StartAsync();
        host.Transport(NotifyChannel.Email).Script("cli@example.com", ScriptedTransport.Permanent());
        var client = new NotifyClient(host.ClusterClient);
        var failed = (await client.SendEmailAsync(["cli@example.com"], "t", "b")).MessageId;
        await host.WaitForFinalAsync(failed);
        var delayed = (await client.SendEmailAsync(["later@example.com"], "t", "b", options: new SendOptions { DelaySeconds = 600 })).MessageId;

        var retry = await RunAsync(host, "messages", "retry", failed, "--receiver", "cli@example.com", "--note", "fixed");
        var cancel = await RunAsync(host, "messages", "cancel", delayed, "--json");
        var again = await RunAsync(host, "messages", "cancel", delayed);

        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Contains("retry", retry.Output);
        Assert.Contains("fixed", retry.Output);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains("\"status\"", cancel.Output);
        Assert.Contains("Cancelled", cancel.Output, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already cancelled", again.Error);
        Assert.Equal(MessageStatus.Sent, (await host.WaitForFinalAsync(failed)).Status);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(NotifyTestHost host, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await NotifyCli.RunAsync([.. args, "--gateway", $"http://127.0.0.1:{host.Ports.Grpc}"], output, error, Ct);
        return (exitCode, output.ToString(), error.ToString());
    }
}
