using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Notify.Client.Cli;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Client;

/// <summary>The CLI with <c>--gateway URL</c>: every call goes through the gRPC gateway instead of the Orleans gateway.</summary>
public sealed class CliGatewayModeTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task SendAndInspect_ThroughGrpc_SameAnswersAsOrleans()
    {
        var source = "cli-grpc-" + Guid.NewGuid().ToString("N")[..8];
        var sent = await RunAsync("send", "email", "--to", "grpc-cli@example.com", "--title", "t", "--body", "b", "--format", "html", "--source", source);
        var messageId = sent.Output.Trim()["accepted ".Length..];
        await Host.WaitForFinalAsync(messageId);

        var get = await RunAsync("messages", "get", messageId, "--json");
        var list = await RunAsync("messages", "list", "--source", source, "--channel", "email");
        var whyNot = await RunAsync("messages", "why-not", "grpc-cli@example.com");

        Assert.True(sent.ExitCode == ExitCodes.Ok, sent.ToString());
        Assert.Contains(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == messageId);
        using var record = JsonDocument.Parse(get.Output);
        Assert.Equal("sent", record.RootElement.GetProperty("status").GetString());
        Assert.Equal("html", record.RootElement.GetProperty("message").GetProperty("format").GetString());
        Assert.Equal("grpc-cli@example.com", record.RootElement.GetProperty("receivers")[0].GetProperty("receiver").GetString());
        Assert.Contains("page 1 of 1, 1 messages", list.Output);
        Assert.Contains("delivered to grpc-cli@example.com", whyNot.Output);
    }

    [Fact]
    public async Task MessagesGet_Unknown_Exit4()
    {
        var result = await RunAsync("messages", "get", "msg_nowhere");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("no message has id 'msg_nowhere'", result.Error);
    }

    [Fact]
    public async Task Blacklist_InvalidEntry_Exit3WithFieldFromServer()
    {
        // Blacklist entries are checked by the grain only, so this error comes back through the gateway's trailer.
        var result = await RunAsync("blacklist", "add", "ok-user", "not a user!");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("error: users[1]: 'not a user!' is not a username", result.Error);
    }

    [Fact]
    public async Task BlacklistAndContacts_RoundTrip()
    {
        var user = "cli-grpc-user-" + Guid.NewGuid().ToString("N")[..8];

        var added = await RunAsync("blacklist", "add", user);
        var removed = await RunAsync("blacklist", "remove", user);
        var put = await RunAsync("contacts", "put", user, "--wecom-user-id", "w.1");
        var got = await RunAsync("contacts", "get", user, "--json");
        var deleted = await RunAsync("contacts", "delete", user);
        var deletedAgain = await RunAsync("contacts", "delete", user);

        Assert.Contains(user, added.Output);
        Assert.DoesNotContain(user, removed.Output);
        Assert.Equal(ExitCodes.Ok, put.ExitCode);
        using var contact = JsonDocument.Parse(got.Output);
        Assert.Equal("w.1", contact.RootElement.GetProperty("wecomUserId").GetString());
        Assert.Equal(ExitCodes.Ok, deleted.ExitCode);
        Assert.Equal(ExitCodes.NotFound, deletedAgain.ExitCode);
    }

    [Fact]
    public async Task Run_NoGatewayAtUrl_Exit5()
    {
        int unusedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            unusedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await NotifyCli.RunAsync(["blacklist", "list", "--gateway", $"http://127.0.0.1:{unusedPort}"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.StartsWith("error: gateway: ", error.ToString());
    }

    [Fact]
    public async Task Run_GatewayNotAUrl_Exit2()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await NotifyCli.RunAsync(["blacklist", "list", "--gateway", "localhost:5081"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("is not an http:// or https:// URL", error.ToString());
    }

    private async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await NotifyCli.RunAsync([.. args, "--gateway", $"http://127.0.0.1:{Host.Ports.Grpc}"], output, error, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
