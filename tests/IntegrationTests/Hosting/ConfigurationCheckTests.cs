using Microsoft.Extensions.Logging.Abstractions;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Notify.Silo.Hosting;
using Notify.Silo.Persistence;
using Xunit;

namespace Notify.IntegrationTests.Hosting;

/// <summary><c>--check-config</c> against the real PostgreSQL, SMTP and HTTP provider servers of the test run.</summary>
public sealed class ConfigurationCheckTests(PostgresServer server)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_EverythingReachable_ReportsEachCheckAndPasses()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var providers = await HttpProviderTestServer.StartAsync(Cancellation);
        var connectionString = await server.CreateDatabaseAsync("check_good", Cancellation);
        string[] args =
        [
            "--Notify:Profile=Postgres", $"--ConnectionStrings:Notify={connectionString}",
            $"--Channels:Email:Host={smtp.Host}", $"--Channels:Email:Port={smtp.Port}", "--Channels:Email:From=notify@example.com",
            .. providers.ChannelSettings().Select(setting => $"--{setting.Key}={setting.Value}"),
        ];

        var (exitCode, report) = await CheckAsync(args);

        Assert.True(exitCode == ConfigurationCheck.Passed, report);
        Assert.Contains("ok    configuration: every option set checked at start is valid", report, StringComparison.Ordinal);
        Assert.Contains("ok    database: connected; the silo will apply 001_orleans_main.sql", report, StringComparison.Ordinal);
        Assert.Contains($"ok    smtp: {smtp.Host}:{smtp.Port} (None) answered", report, StringComparison.Ordinal);
        foreach (var channel in new[] { "rtx", "wework", "sms", "wechat", "voice" })
        {
            Assert.Contains($"ok    {channel}: ", report, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("FAIL", report, StringComparison.Ordinal);
        Assert.EndsWith("configuration check passed" + Environment.NewLine, report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InvalidValues_FailsNamingEachKey()
    {
        string[] args =
        [
            "--Channels:Email:Host=smtp.example.com", "--Channels:Email:Port=70000",
            "--Channels:Wework:WebhookUrl=http://127.0.0.1:9/robot",
        ];

        var (exitCode, report) = await CheckAsync(args);

        Assert.True(exitCode == ConfigurationCheck.Failed, report);
        AssertFailureLine(report, "configuration", "Channels:Email:Port must be between 1 and 65535.");
        AssertFailureLine(report, "configuration", "Channels:Wework:Key is required when Channels:Wework:WebhookUrl is set.");
        Assert.Contains("configuration check failed", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NothingListening_FailsTheDatabaseSmtpAndProviderChecks()
    {
        var closedPort = LoopbackPorts.Free();
        string[] args =
        [
            "--Notify:Profile=Postgres", $"--ConnectionStrings:Notify=Host=127.0.0.1;Port={closedPort};Database=notify;Username=notify;Password=secret-password",
            "--Channels:Email:Host=127.0.0.1", $"--Channels:Email:Port={closedPort}", "--Channels:Email:From=notify@example.com",
            $"--Channels:Wework:WebhookUrl=http://127.0.0.1:{closedPort}/cgi-bin/webhook/send", "--Channels:Wework:Key=robot-key",
        ];

        var (exitCode, report) = await CheckAsync(args);

        Assert.True(exitCode == ConfigurationCheck.Failed, report);
        Assert.Contains($"FAIL  database: cannot connect to 127.0.0.1:{closedPort}/notify", report, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-password", report, StringComparison.Ordinal);
        Assert.Contains($"FAIL  smtp: 127.0.0.1:{closedPort} (None)", report, StringComparison.Ordinal);
        Assert.Contains($"FAIL  wework: http://127.0.0.1:{closedPort}/cgi-bin/webhook/send (Channels:Wework:WebhookUrl)", report, StringComparison.Ordinal);
        Assert.Contains("skip  rtx: Channels:Rtx:BaseUrl is not set", report, StringComparison.Ordinal);
        Assert.Contains("configuration check failed: 3 problem(s)", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DatabaseOfANewerRelease_FailsWithTheSchemaMessage()
    {
        var connectionString = await server.CreateDatabaseAsync("check_newer", Cancellation);
        await using (var dataSource = NotifyPostgresDataSource.Create(connectionString))
        {
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance, [.. SchemaMigrator.Scripts, SchemaScript.Create("999_later_release.sql", "SELECT 1")])
                .MigrateAsync(Cancellation);
        }

        var (exitCode, report) = await CheckAsync(["--Notify:Profile=Postgres", $"--ConnectionStrings:Notify={connectionString}"]);

        Assert.True(exitCode == ConfigurationCheck.Failed, report);
        Assert.Contains("FAIL  database: the database schema is at version 999 (999_later_release.sql), newer than this silo knows", report, StringComparison.Ordinal);
    }

    private static void AssertFailureLine(string report, string check, string reason) =>
        Assert.True(
            report.Split(Environment.NewLine).Any(line => line.StartsWith($"FAIL  {check}: ", StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal)),
            $"no FAIL {check} line with '{reason}' in:\n{report}");

    private static async Task<(int ExitCode, string Report)> CheckAsync(string[] args)
    {
        using var output = new StringWriter();
        var exitCode = await ConfigurationCheck.RunAsync(args, output, Cancellation);
        return (exitCode, output.ToString());
    }
}
