using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.IntegrationTests.HttpChannels;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.Silo.Gateway.Security;

namespace Notify.IntegrationTests.Operations;

/// <summary>The gateway's security settings are checked before anything listens, each error naming its key.</summary>
public sealed class GatewayStartupTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task Start_NoKeysOnNonLoopbackAddress_RefusesNamingTheSettings(string address)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            NotifyTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:ListenAddress"] = address }));

        Assert.Contains($"Gateway:ListenAddress is {System.Net.IPAddress.Parse(address)} but no Gateway:ApiKeys or Gateway:AdminKeys are configured", error.Message);
    }

    [Fact]
    public async Task Start_BadKeySettings_RefusesNamingEachKeyWithoutEchoingIt()
    {
        var pastedKey = "this-is-a-key-not-a-hash";
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => NotifyTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:ApiKeys:ci:Hash"] = pastedKey,
            ["Gateway:ApiKeys:ci:PermitLimit"] = "0",
            ["Gateway:ApiKeys:twin:Hash"] = GatewayKeyRing.HashOf("k"),
            ["Gateway:AdminKeys:ops:Hash"] = GatewayKeyRing.HashOf("k"),
            ["Gateway:RateLimit:Window"] = "00:00:00",
        }));

        Assert.Contains("Gateway:ApiKeys:ci:Hash must be the SHA-256 of the key as 64 hex digits", error.Message);
        Assert.Contains("Gateway:ApiKeys:ci:PermitLimit must be a positive number of requests", error.Message);
        Assert.Contains("Gateway:AdminKeys:ops:Hash is the same as Gateway:ApiKeys:twin:Hash", error.Message);
        Assert.Contains("Gateway:RateLimit:Window must be a time span", error.Message);
        Assert.DoesNotContain(pastedKey, error.Message);
    }

    [Fact]
    public async Task Start_NoKeys_WarnsThatTheGatewayIsOpenOnLoopback()
    {
        var log = new RecordingLoggerProvider();

        await using (await NotifyTestHost.StartAsync(configure: builder => builder.Logging.AddProvider(log)))
        {
            Assert.Contains(log.Entries, e => e.StartsWith("Warning") && e.Contains("No Gateway:ApiKeys or Gateway:AdminKeys are configured"));
        }
    }

    [Fact]
    public async Task Start_KeysOnAnyAddress_StartsWithoutTheWarning()
    {
        var log = new RecordingLoggerProvider();
        var settings = new Dictionary<string, string?>(SecuredHostFixture.Settings)
        {
            ["Gateway:ListenAddress"] = "0.0.0.0",
            [Notify.Silo.Hosting.Tls.GatewayTransportSecurity.BehindProxyKey] = "true",
        };

        await using var host = await NotifyTestHost.StartAsync(settings, builder => builder.Logging.AddProvider(log));

        Assert.DoesNotContain(log.Entries, e => e.Contains("No Gateway:ApiKeys"));
        Assert.DoesNotContain(log.Entries, e => e.Contains(SecuredHostFixture.CiKey) || e.Contains(SecuredHostFixture.AdminKey));
    }
}
