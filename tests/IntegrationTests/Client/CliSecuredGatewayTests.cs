using System.Text.Json;
using Notify.Client.Cli;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.Silo.Gateway.Security;
using static Notify.IntegrationTests.Infrastructure.Host.SecuredHostFixture;

namespace Notify.IntegrationTests.Client;

/// <summary>The CLI from "another machine": <c>--gateway URL --api-key K</c> against a host with keys, bulk sends from a file, and <c>keys</c>.</summary>
public sealed class CliSecuredGatewayTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task SendEmail_CallerKey_AcceptedUnderTheKeysSource()
    {
        var sent = await RunAsync(["send", "email", "--to", "cli-key@example.com", "--title", "t", "--body", "b", "--json"], CiKey);

        Assert.True(sent.ExitCode == ExitCodes.Ok, sent.ToString());
        using var answer = JsonDocument.Parse(sent.Output);
        var record = await Host.WaitForFinalAsync(answer.RootElement.GetProperty("messageId").GetString()!);
        Assert.Equal("ci", record.Message.Source);
    }

    [Theory]
    [InlineData(null, "the gateway refused the key: x-api-key: is required")]
    [InlineData("wrong", "the gateway refused the key: x-api-key: is not a valid key")]
    [InlineData(CiKey, "the gateway refused the key: x-api-key: api:ci is not an admin key")]
    public async Task BlacklistList_WithoutAdminKey_Exit7SayingWhy(string? key, string error)
    {
        var result = await RunAsync(["blacklist", "list"], key);

        Assert.Equal(ExitCodes.KeyRefused, result.ExitCode);
        Assert.StartsWith($"error: {error}", result.Error);
    }

    [Fact]
    public async Task BlacklistList_AdminKey_Ok()
    {
        var result = await RunAsync(["blacklist", "list"], AdminKey);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("blacklisted", result.Output);
    }

    [Fact]
    public async Task MessagesList_KeyOverItsLimit_Exit8WithRetryHint()
    {
        var results = new List<CliResult>();
        for (var i = 0; i <= LimitedPermits; i++)
        {
            results.Add(await RunAsync(["messages", "list", "--page-size", "1"], LimitedKey));
        }

        Assert.All(results.Take(LimitedPermits), r => Assert.Equal(ExitCodes.Ok, r.ExitCode));
        Assert.Equal(ExitCodes.RateLimited, results[^1].ExitCode);
        Assert.Contains("error: the gateway is limiting this key: rateLimit: api:limited is over its limit of 3 deliveries per 00:01:00 (a request costs 1, a send 1 per delivery); retry after", results[^1].Error);
    }

    [Fact]
    public async Task ApiKey_WithoutGateway_Exit2()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await NotifyCli.RunAsync(["blacklist", "list", "--api-key", CiKey], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("--api-key is for the gRPC gateway", error.ToString());
    }

    [Fact]
    public async Task SendEmailFile_MixedLines_ProgressCountsAndRerunReplays()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(Path.GetTempPath(), $"notify-bulk-{run}.jsonl");
        await File.WriteAllLinesAsync(path,
        [
            $$"""{"receivers":["bulk-1@example.com"],"title":"t1 {{run}}","body":"b"}""",
            $$"""{"receivers":["bulk-2@example.com"],"title":"t2 {{run}}","body":"b","format":"HTML"}""",
            "",
            "{not json",
            $$"""{"receivers":["not-an-address@"],"title":"t3 {{run}}","body":"b"}""",
            $$"""{"receivers":["bulk-3@example.com"],"title":"t4 {{run}}","body":"b","colour":"red"}""",
            $$"""{"receivers":["bulk-4@example.com"],"title":"t5 {{run}}","body":"b","requestId":"bulk-{{run}}"}""",
        ], TestContext.Current.CancellationToken);
        try
        {
            var first = await RunAsync(["send", "email", "--file", path], CiKey);
            var again = await RunAsync(["send", "email", "--file", path, "--json"], CiKey);

            Assert.True(first.ExitCode == ExitCodes.PartiallyAccepted, first.ToString());
            // Redirected output gets Spectre's plain progress lines; a terminal gets the live bar.
            Assert.Contains("sending 6 e-mails: ", first.Output);
            Assert.Contains("accepted 3 (0 already accepted before), failed 3", first.Output);
            Assert.Contains("not a JSON e-mail body", first.Output);
            Assert.Contains("receivers[0]: 'not-an-address@' not a valid e-mail address", first.Output);

            Assert.Equal(ExitCodes.PartiallyAccepted, again.ExitCode);
            using var summary = JsonDocument.Parse(again.Output);
            Assert.Equal(3, summary.RootElement.GetProperty("accepted").GetInt32());
            Assert.Equal(3, summary.RootElement.GetProperty("replayed").GetInt32());
            Assert.Equal(3, summary.RootElement.GetProperty("failed").GetInt32());
            var lines = summary.RootElement.GetProperty("lines").EnumerateArray().ToArray();
            Assert.Equal([1, 2, 4, 5, 6, 7], lines.Select(l => l.GetProperty("line").GetInt32()));
            Assert.Contains("colour", lines[4].GetProperty("error").GetString());
            var ids = lines.Where(l => l.GetProperty("messageId").ValueKind == JsonValueKind.String).Select(l => l.GetProperty("messageId").GetString()!).ToArray();
            foreach (var id in ids)
            {
                await Host.WaitForFinalAsync(id);
                Assert.Single(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == id);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task SendEmail_FileAndTo_Exit2()
    {
        var result = await RunAsync(["send", "email", "--file", "x.jsonl", "--to", "a@example.com"], CiKey);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--to cannot be combined with --file", result.Error);
    }

    [Fact]
    public async Task KeysHash_ArgumentOrStandardInput_SameHashAsTheSilo()
    {
        var byArgument = await RunOfflineAsync(["keys", "hash", CiKey]);
        var byInput = await RunOfflineAsync(["keys", "hash"], new StringReader(CiKey + "\n"));

        Assert.Equal(GatewayKeyRing.HashOf(CiKey), byArgument.Output.Trim());
        Assert.Equal(GatewayKeyRing.HashOf(CiKey), byInput.Output.Trim());
    }

    [Fact]
    public async Task KeysNew_Admin_RandomKeyWithItsHashAndSetting()
    {
        var first = await RunOfflineAsync(["keys", "new", "--admin", "--name", "ops", "--json"]);
        var second = await RunOfflineAsync(["keys", "new", "--json"]);

        using var made = JsonDocument.Parse(first.Output);
        var key = made.RootElement.GetProperty("key").GetString()!;
        Assert.StartsWith("nk_", key);
        Assert.Equal(46, key.Length);
        Assert.Equal(GatewayKeyRing.HashOf(key), made.RootElement.GetProperty("hash").GetString());
        Assert.Equal("Gateway:AdminKeys:ops:Hash", made.RootElement.GetProperty("setting").GetString());
        Assert.DoesNotContain(key, second.Output);
    }

    private async Task<CliResult> RunAsync(string[] args, string? key)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] gateway = key is null ? ["--gateway", $"http://127.0.0.1:{Host.Ports.Grpc}"] : ["--gateway", $"http://127.0.0.1:{Host.Ports.Grpc}", "--api-key", key];
        var exitCode = await NotifyCli.RunAsync([.. args, .. gateway], output, error, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private static async Task<CliResult> RunOfflineAsync(string[] args, TextReader? input = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await NotifyCli.RunAsync(args, output, error, TestContext.Current.CancellationToken, input);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    private sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }
}
