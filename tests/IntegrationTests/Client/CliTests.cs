using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Notify.Client.Cli;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Client;

public sealed class CliTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task SendEmail_AgainstHost_AcceptedAndDelivered()
    {
        var result = await RunAsync("send", "email", "--to", "cli-a@example.com", "--cc", "cli-b@example.com", "--title", "t", "--body", "b", "--format", "html", "--priority", "high", "--source", "cli");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith("accepted msg_", result.Output);
        var record = await Host.WaitForFinalAsync(result.Output.Trim()["accepted ".Length..]);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal(["cli-a@example.com", "cli-b@example.com"], record.Receivers.Select(r => r.Receiver));
        Assert.Equal(Grains.Abstractions.Messages.EmailFormat.Html, record.Message.Format);
        Assert.Equal(Grains.Abstractions.Messages.NotifyPriority.High, record.Message.Priority);
    }

    // One command line per remaining channel.
    [Theory]
    [InlineData(NotifyChannel.Rtx, new[] { "send", "rtx", "--to", "cli.rtx", "--title", "t", "--body", "b" })]
    [InlineData(NotifyChannel.Wechat, new[] { "send", "wechat", "--to", "oCliWechat", "--body", "b" })]
    [InlineData(NotifyChannel.Sms, new[] { "send", "sms", "--to", "13100000001", "13100000002", "--body", "b" })]
    [InlineData(NotifyChannel.Voice, new[] { "send", "voice", "--to", "13100000003", "--content", "c", "--task-name", "call", "--recall", "2", "--interval", "30" })]
    [InlineData(NotifyChannel.Wework, new[] { "send", "wework", "--chat", "cliChat", "--message", "**m**", "--text-type", "markdown", "--mention", "@all" })]
    public async Task Send_EachChannel_Accepted(NotifyChannel channel, string[] args)
    {
        var result = await RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var messageId = result.Output.Trim()["accepted ".Length..];
        await Host.WaitForFinalAsync(messageId);
        Assert.Contains(Host.Transport(channel).Deliveries, d => d.MessageId == messageId);
    }

    [Fact]
    public async Task SendEmail_InvalidAddress_Exit3NamingField()
    {
        var result = await RunAsync("send", "email", "--to", "bad@", "--title", "t", "--body", "b");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("error: receivers[0]: 'bad@' not a valid e-mail address", result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task SendEmail_MissingTitle_Exit2Usage()
    {
        var result = await RunAsync("send", "email", "--to", "a@example.com", "--body", "b");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--title", result.Error);
    }

    [Fact]
    public async Task MessagesGet_Json_PrintsRecord()
    {
        var messageId = (await Host.ClusterClient.GetGrain<Grains.Abstractions.Grains.INotifyGrain>(0).SubmitAsync(
            new Grains.Abstractions.Messages.NotifyMessage { Channel = NotifyChannel.Sms, Receivers = ["13100000009"], Body = "b" })).MessageId;
        await Host.WaitForFinalAsync(messageId);

        var json = await RunAsync("messages", "get", messageId, "--json");
        var table = await RunAsync("messages", "get", messageId);

        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(messageId, document.RootElement.GetProperty("id").GetString());
        Assert.Equal("sent", document.RootElement.GetProperty("status").GetString());
        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Contains(messageId, table.Output);
        Assert.Matches(@"13100000009\s+to\s+sent\s+none", table.Output);
    }

    [Fact]
    public async Task MessagesGet_Unknown_Exit4()
    {
        var result = await RunAsync("messages", "get", "msg_unknown");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("no message has id 'msg_unknown'", result.Error);
    }

    [Fact]
    public async Task MessagesListAndWhyNot_BySourceAndReceiver_PrintTables()
    {
        var source = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var sent = await RunAsync("send", "sms", "--to", "13100000021", "--body", "b", "--source", source);
        var messageId = sent.Output.Trim()["accepted ".Length..];
        await Host.WaitForFinalAsync(messageId);

        var list = await RunAsync("messages", "list", "--source", source, "--status", "sent", "--channel", "sms");
        var whyNot = await RunAsync("messages", "why-not", "13100000021", "--channel", "sms");
        var badStatus = await RunAsync("messages", "list", "--status", "lost");

        Assert.Equal(ExitCodes.Ok, list.ExitCode);
        Assert.Contains(messageId, list.Output);
        Assert.Contains("page 1 of 1, 1 messages", list.Output);
        Assert.Equal(ExitCodes.Ok, whyNot.ExitCode);
        Assert.Contains(messageId, whyNot.Output);
        Assert.Contains("delivered to 13100000021", whyNot.Output);
        Assert.Equal(ExitCodes.Usage, badStatus.ExitCode);
        Assert.Contains("'lost' is not a message status", badStatus.Error);
    }

    [Fact]
    public async Task Blacklist_AddListRemove_RoundTrips()
    {
        var user = "cli-user-" + Guid.NewGuid().ToString("N")[..8];

        var added = await RunAsync("blacklist", "add", user);
        var listed = await RunAsync("blacklist", "list", "--json");
        var removed = await RunAsync("blacklist", "remove", user);

        Assert.Equal(ExitCodes.Ok, added.ExitCode);
        Assert.Contains(user, added.Output);
        using var document = JsonDocument.Parse(listed.Output);
        Assert.Contains(user, document.RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(ExitCodes.Ok, removed.ExitCode);
        Assert.DoesNotContain(user, removed.Output);
    }

    [Fact]
    public async Task Contacts_PutGetDelete_RoundTrips()
    {
        var user = "cli-contact-" + Guid.NewGuid().ToString("N")[..8];

        var put = await RunAsync("contacts", "put", user, "--email", $"{user}@example.com", "--phone", "13100000031");
        var got = await RunAsync("contacts", "get", user, "--json");
        var deleted = await RunAsync("contacts", "delete", user);
        var gone = await RunAsync("contacts", "get", user);
        var invalid = await RunAsync("contacts", "put", user, "--email", "nope");

        Assert.Equal(ExitCodes.Ok, put.ExitCode);
        Assert.Contains($"{user}@example.com", put.Output);
        using var document = JsonDocument.Parse(got.Output);
        Assert.Equal("13100000031", document.RootElement.GetProperty("phone").GetString());
        Assert.Equal(ExitCodes.Ok, deleted.ExitCode);
        Assert.Equal(ExitCodes.NotFound, gone.ExitCode);
        Assert.Equal(ExitCodes.Invalid, invalid.ExitCode);
        Assert.Contains("error: email: 'nope' is not a valid e-mail address", invalid.Error);
    }

    [Fact]
    public async Task Run_NoClusterOnPort_Exit5()
    {
        int unusedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            unusedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await NotifyCli.RunAsync(["blacklist", "list", "--orleans-port", unusedPort.ToString()], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains($"cannot reach the notify cluster 'notify' at localhost:{unusedPort}", error.ToString());
    }

    private async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await NotifyCli.RunAsync([.. args, "--orleans-port", Host.Ports.OrleansGateway.ToString()], output, error, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
