using System.Globalization;
using System.Net;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Gateway;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.HttpProviders;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Notify.Silo.Gateway.Security;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// The operations console in a real headless Chromium at 1280 px, against a silo with real data: e-mail through a real
/// SMTP server (one refused), an SMS through the HTTP provider server, an action instance asleep between notices, a
/// contact, a user group and a blacklisted user. Each page is opened through the admin login, photographed and read;
/// the operator retries the failed message from its page and it ends Sent. Screenshots go to
/// <c>$NOTIFY_CONSOLE_SCREENSHOTS</c> (the README's is <c>docs/images/console-overview.png</c>:
/// <c>NOTIFY_CONSOLE_SCREENSHOTS=$PWD/docs/images dotnet test tests/IntegrationTests --filter ConsoleTests</c>), else a temp folder.
/// </summary>
public sealed class ConsoleTests(ConsoleTests.KeyedHost keyed) : IClassFixture<ConsoleTests.KeyedHost>
{
    private const string AdminKey = "console-admin-key-7c1e9a3f5b2d4e6f8a0c1e3f5a7b9d1c";
    private const string CallerKey = "console-caller-key-2b4d6f8a0c2e4f6a8b0d2f4a6c8e0b2d";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("NOTIFY_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(Path.GetTempPath(), "notify-console-screenshots");

    [Fact]
    public async Task Console_EveryPageWithRealData_RendersAndTheOperatorRetriesTheFailedMessageToSent()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var providers = await HttpProviderTestServer.StartAsync(Ct);
        var settings = providers.ChannelSettings();
        settings["Channels:Email:Host"] = smtp.Host;
        settings["Channels:Email:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
        settings["Channels:Email:From"] = "notify@example.com";
        settings["Gateway:AdminKeys:ops:Hash"] = GatewayKeyRing.HashOf(AdminKey);
        settings["Gateway:ApiKeys:ci:Hash"] = GatewayKeyRing.HashOf(CallerKey);
        await using var host = await NotifyTestHost.StartWithProvidersAsync(settings);
        var http = host.Http;
        http.DefaultRequestHeaders.Add(ApiKeys.Header, AdminKey);

        var delivered = await SendAsync(http, "/service/notify/email/send", """{"receivers":["ok@example.com"],"title":"Deploy finished","body":"build 42 is live"}""");
        var sms = await SendAsync(http, "/service/notify/sms/send", """{"receivers":["+8613800000000"],"body":"disk at 91% on h1"}""");
        smtp.Faults.RefuseRecipient("oncall@example.com", 550, "mailbox unavailable");
        var failed = await SendAsync(http, "/service/notify/email/send", """{"receivers":["oncall@example.com"],"title":"Database down","body":"primary unreachable"}""");
        Assert.Equal(MessageStatus.Sent, (await host.WaitForFinalAsync(delivered)).Status);
        Assert.Equal(MessageStatus.Sent, (await host.WaitForFinalAsync(sms)).Status);
        Assert.Equal(MessageStatus.Failed, (await host.WaitForFinalAsync(failed)).Status);
        await ActionGatewayRequests.PutGroupAsync(http, "ops-console", "alice");
        var action = ActionGatewayRequests.Unique("console");
        var created = await ActionGatewayRequests.CreateAsync(http, ActionGatewayRequests.ExampleBody(action, "ops-console")
            .With("notifyConfig.steps", """{"abnormal":["mail"]}""").With("executeConfig.notifyInterval", "3600"));
        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
        await ActionGatewayRequests.WaitForAsync(http, action, a => a.GetProperty("status").GetString() == "sleep", "sleep after its first notice", seconds: 60);
        Assert.Equal(HttpStatusCode.OK, (await http.PostJsonAsync("/op/notify/blacklist", """{"users":["mallory"]}""")).StatusCode);

        await using var browser = await HeadlessChromium.StartAsync(Ct);
        await browser.SetViewportAsync(1280, 900, Ct);
        var console = $"http://127.0.0.1:{host.Ports.Http}/dashboard/console/";
        await browser.NavigateAsync(console, Ct);
        await browser.WaitForTextAsync(t => t.Contains("Sign in with an admin key"), "the login page", Ct);
        await browser.EvaluateAsync($"document.getElementById('key').value = '{AdminKey}'; document.querySelector('button[type=submit]').click(); 'submitted'", Ct);
        await browser.WaitForTextAsync(t => t.Contains("Active Silos", StringComparison.OrdinalIgnoreCase), "the dashboard after the login", Ct);

        var overview = await OpenAsync(browser, console + "#/overview", "overview",
            t => t.Contains("Rates over time") && t.Contains("email") && t.Contains("sms") && t.Contains("permanent_failure"));
        Assert.Contains("Failures in the last hour by reason", overview);
        Assert.Equal("1", await browser.EvaluateAsync("String(document.querySelectorAll('svg.plot polyline').length > 0 ? 1 : 0)", Ct));
        // Laid out at 1280 px with nothing wider than the window (no sideways scrolling).
        Assert.Equal("1280", await browser.EvaluateAsync("String(window.innerWidth)", Ct));
        Assert.Equal("true", await browser.EvaluateAsync("String(document.documentElement.scrollWidth <= document.documentElement.clientWidth)", Ct));

        var list = await OpenAsync(browser, console + "#/messages?status=failed", "messages", t => t.Contains(failed));
        Assert.DoesNotContain(delivered, list);
        var all = await OpenAsync(browser, console + "#/messages?channel=sms", "messages-sms", t => t.Contains(sms));
        Assert.Contains("+8613800000000", all);

        var whyNot = await OpenAsync(browser, console + "#/why-not?receiver=oncall@example.com", "why-not", t => t.Contains(failed));
        Assert.Contains("failed (the provider refused it)", whyNot);

        await OpenAsync(browser, console + "#/message/" + failed, "message-failed",
            t => t.Contains("oncall@example.com") && t.Contains("permanent_failure") && t.Contains("No operator has acted on this message."));
        smtp.Faults.Clear();
        await browser.EvaluateAsync("document.getElementById('note').value = 'mailbox restored'; document.getElementById('retry').click(); 'clicked'", Ct);
        var retried = await browser.WaitForTextAsync(t => t.Contains("Message " + failed + " sent") && t.Contains("admin:ops"), "the message Sent after the retry", Ct);
        Assert.Contains("mailbox restored", retried);
        await browser.ScreenshotAsync(Path.Combine(ScreenshotFolder, "console-message-retried.png"), Ct);
        var record = await host.WaitForFinalAsync(failed);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal(("admin:ops", OperatorActionKind.Retry), (Assert.Single(record.OperatorActions).Operator, record.OperatorActions[0].Kind));
        await smtp.WaitForMessageAsync(m => m.EnvelopeRecipients.Contains("oncall@example.com"), TimeSpan.FromSeconds(30), Ct);

        await OpenAsync(browser, console + "#/actions?status=sleep", "actions", t => t.Contains(action) && t.Contains("CPU high"));
        await OpenAsync(browser, console + "#/action/action/" + action, "action", t => t.Contains("Runs") && t.Contains("abnormal") && t.Contains("ops-console"));
        await browser.EvaluateAsync("document.getElementById('shield').click(); 'clicked'", Ct);
        await ActionGatewayRequests.WaitForAsync(http, action, a => a.GetProperty("shielded").GetBoolean(), "shielded from the console");
        await browser.WaitForTextAsync(t => t.Contains("Shielded\nyes"), "the instance shown shielded", Ct);

        var delayed = await SendAsync(http, "/service/notify/email/send", """{"receivers":["later@example.com"],"title":"Maintenance","body":"tonight","delaySeconds":3600}""");
        await OpenAsync(browser, console + "#/message/" + delayed, "message-delayed", t => t.Contains("Message " + delayed + " pending"));
        await browser.EvaluateAsync("document.getElementById('note').value = 'maintenance moved'; document.getElementById('cancel').click(); 'clicked'", Ct);
        await browser.WaitForTextAsync(t => t.Contains("Message " + delayed + " cancelled") && t.Contains("maintenance moved"), "the message cancelled from its page", Ct);
        Assert.Equal(MessageStatus.Cancelled, (await host.WaitForFinalAsync(delayed)).Status);
        await OpenAsync(browser, console + "#/blacklist", "blacklist", t => t.Contains("mallory"));
        await OpenAsync(browser, console + "#/contacts", "contacts", t => t.Contains("alice@example.com"));
        await OpenAsync(browser, console + "#/usergroups", "usergroups", t => t.Contains("ops-console") && t.Contains("alice"));
        await OpenAsync(browser, console + "#/templates", "templates", t => t.Contains("ACTION_NOTICE"));
        await OpenAsync(browser, console + "#/overview", "overview", t => t.Contains("Rates over time") && t.Contains("permanent_failure"));
    }

    [Theory]
    [InlineData("/dashboard/api/overview", null, HttpStatusCode.Unauthorized)]
    [InlineData("/dashboard/api/messages", CallerKey, HttpStatusCode.Forbidden)]
    [InlineData("/dashboard/console/console.js", CallerKey, HttpStatusCode.Forbidden)]
    [InlineData("/dashboard/api/overview", AdminKey, HttpStatusCode.OK)]
    [InlineData("/dashboard/console/console.js", AdminKey, HttpStatusCode.OK)]
    [InlineData("/dashboard/console/other.js", AdminKey, HttpStatusCode.NotFound)]
    public async Task ConsoleAndItsApi_KeyMatrix_AdminOnly(string path, string? key, HttpStatusCode expected)
    {
        using var response = await keyed.Host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, path).WithKey(key), Ct);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK && path.EndsWith(".js", StringComparison.Ordinal))
        {
            Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Fact]
    public async Task ConsolePage_WithoutTrailingSlash_RedirectedToTheFolder()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = keyed.Host.Http.BaseAddress };

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dashboard/console").WithKey(AdminKey), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/console/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ConsoleApi_RetryWithoutAJsonBody_RefusedLikeTheRestApi()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/api/messages/msg_x/retry")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"),
        }.WithKey(AdminKey);

        using var response = await keyed.Host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    /// <summary>One host with an admin key and a calling system's key, shared by the small tests.</summary>
    public sealed class KeyedHost : IAsyncLifetime
    {
        private NotifyTestHost? _host;

        public NotifyTestHost Host => _host ?? throw new InvalidOperationException("the host has not started");

        public async ValueTask InitializeAsync() => _host = await NotifyTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:AdminKeys:ops:Hash"] = GatewayKeyRing.HashOf(AdminKey),
            ["Gateway:ApiKeys:ci:Hash"] = GatewayKeyRing.HashOf(CallerKey),
        });

        public async ValueTask DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }

    private static async Task<string> SendAsync(HttpClient http, string path, string body)
    {
        var response = await http.PostJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        return response.Body.GetProperty("messageId").GetString()!;
    }

    /// <summary>Opens <paramref name="url"/>, waits until the page is rendered and shows what it must, and photographs it.</summary>
    private static async Task<string> OpenAsync(HeadlessChromium browser, string url, string name, Func<string, bool> shows)
    {
        await browser.NavigateAsync(url, Ct);
        var text = await browser.WaitForTextAsync(t => t.StartsWith(url, StringComparison.Ordinal) && shows(t), $"the {name} page", Ct);
        await browser.ScreenshotAsync(Path.Combine(ScreenshotFolder, $"console-{name}.png"), Ct);
        return text;
    }
}
