using System.Net;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Infrastructure.Host.SecuredHostFixture;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// The Orleans dashboard in a real headless Chromium: it renders the silo for an admin (login cookie or
/// <c>x-api-key</c> header), shows only the login page to anyone else, and is open on a keyless loopback host.
/// </summary>
public sealed class DashboardTests(SecuredHostFixture secured) : IClassFixture<SecuredHostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private NotifyTestHost Host => secured.Host;

    [Fact]
    public async Task Dashboard_NoKeysOnLoopback_RendersSilo()
    {
        await using var open = await NotifyTestHost.StartAsync();
        await using var browser = await HeadlessChromium.StartAsync(Cancellation);

        await browser.NavigateAsync($"http://127.0.0.1:{open.Ports.Http}/dashboard/#/silos", Cancellation);

        var text = await browser.WaitForTextAsync(t => t.Contains(SiloAddress(open)) && t.Contains("Active"), $"the silo {SiloAddress(open)} as Active", Cancellation);
        Assert.Contains("Orleans Dashboard", text);
    }

    [Fact]
    public async Task Dashboard_NoKey_LoginPageOnlyAndNoClusterData()
    {
        await using var browser = await HeadlessChromium.StartAsync(Cancellation);

        await browser.NavigateAsync($"http://127.0.0.1:{Host.Ports.Http}/dashboard/#/silos", Cancellation);

        var text = await browser.WaitForTextAsync(t => t.Contains("Sign in with an admin key"), "the login page", Cancellation);
        Assert.StartsWith($"http://127.0.0.1:{Host.Ports.Http}/dashboard/login", text);
        Assert.DoesNotContain(SiloAddress(Host), text);
    }

    [Fact]
    public async Task Dashboard_LoginFormWithAdminKey_RendersSilo()
    {
        await using var browser = await HeadlessChromium.StartAsync(Cancellation);
        await browser.NavigateAsync($"http://127.0.0.1:{Host.Ports.Http}/dashboard/login", Cancellation);
        await browser.WaitForTextAsync(t => t.Contains("Sign in with an admin key"), "the login page", Cancellation);

        // As a person would: type the key into the form and press the button.
        await browser.EvaluateAsync($"document.getElementById('key').value = '{AdminKey}'; document.querySelector('button[type=submit]').click(); 'submitted'", Cancellation);
        await browser.WaitForTextAsync(t => t.Contains("Active Silos", StringComparison.OrdinalIgnoreCase), "the dashboard's overview", Cancellation);
        await browser.NavigateAsync($"http://127.0.0.1:{Host.Ports.Http}/dashboard/#/silos", Cancellation);

        await browser.WaitForTextAsync(t => t.Contains(SiloAddress(Host)) && t.Contains("Active"), $"the silo {SiloAddress(Host)} as Active", Cancellation);
        Assert.Equal("", await browser.EvaluateAsync("document.cookie", Cancellation));
    }

    [Fact]
    public async Task Dashboard_AdminKeyHeader_RendersSilo()
    {
        await using var browser = await HeadlessChromium.StartAsync(Cancellation);
        await browser.SetHeaderAsync(ApiKeys.Header, AdminKey, Cancellation);

        await browser.NavigateAsync($"http://127.0.0.1:{Host.Ports.Http}/dashboard/#/silos", Cancellation);

        await browser.WaitForTextAsync(t => t.Contains(SiloAddress(Host)) && t.Contains("Active"), $"the silo {SiloAddress(Host)} as Active", Cancellation);
    }

    [Fact]
    public async Task Dashboard_CallerKeyHeader_Forbidden()
    {
        await using var browser = await HeadlessChromium.StartAsync(Cancellation);
        await browser.SetHeaderAsync(ApiKeys.Header, CiKey, Cancellation);

        await browser.NavigateAsync($"http://127.0.0.1:{Host.Ports.Http}/dashboard/", Cancellation);

        var text = await browser.WaitForTextAsync(t => t.Contains("not an admin key"), "the refusal", Cancellation);
        Assert.DoesNotContain("Active Silos", text, StringComparison.OrdinalIgnoreCase);
    }

    // The dashboard's JSON API, as a script calls it.
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized)]
    [InlineData(CiKey, HttpStatusCode.Forbidden)]
    [InlineData(AdminKey, HttpStatusCode.OK)]
    public async Task DashboardApi_KeyMatrix_AnswersAsConfigured(string? key, HttpStatusCode expected)
    {
        using var response = await Host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dashboard/ClusterStats").WithKey(key), Cancellation);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Login_AdminKey_SetsHttpOnlyStrictCookieScopedToDashboard()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Host.Http.BaseAddress };

        using var response = await http.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("key", AdminKey)]), Cancellation);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("notify-dashboard=", cookie);
        Assert.Contains("path=/dashboard", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.DoesNotContain(AdminKey, cookie);
    }

    [Theory]
    [InlineData(CiKey, HttpStatusCode.Forbidden, "api:ci is not an admin key")]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized, "That is not a configured key.")]
    public async Task Login_NotAnAdminKey_RefusedWithoutCookie(string key, HttpStatusCode expected, string message)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Host.Http.BaseAddress };

        using var response = await http.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("key", key)]), Cancellation);

        Assert.Equal(expected, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains(message, await response.Content.ReadAsStringAsync(Cancellation));
    }

    private static string SiloAddress(NotifyTestHost host) => $"127.0.0.1:{host.Ports.Silo}";
}
