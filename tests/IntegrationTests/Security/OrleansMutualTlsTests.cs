using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Client;
using Notify.IntegrationTests.Cluster;
using Notify.IntegrationTests.HttpChannels;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Notify.Silo.Hosting;
using Notify.Silo.Hosting.Tls;

namespace Notify.IntegrationTests.Security;

/// <summary>
/// Mutual TLS on the Orleans ports (<c>Silo:Tls</c>): two real hosts on PostgreSQL talk to each other and to a
/// <see cref="NotifyClientConnection"/> only over TLS with certificates from one CA; a client without a certificate,
/// or with one from another CA, is refused in the handshake; a silo advertising a network address without TLS does
/// not start.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class OrleansMutualTlsTests(PostgresServer postgres)
{
    // A refused client gives up on its first gateway; on a loaded machine the handshake alone may take seconds.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoSilosAndClient_CertificatesFromOneCa_FormOneClusterAndDeliver()
    {
        using var pki = TestPki.Create();
        await using var smtp = SmtpTestServer.Start();
        var database = await postgres.CreateDatabaseAsync("mtls", Ct);
        var clusterId = "mtls-" + Guid.NewGuid().ToString("N")[..8];
        var gatewayPort = LoopbackPorts.Free();
        await using var first = await InProcessSilo.StartAsync(database, clusterId, With(
            ClusterSettings.EmailTo(smtp), pki.Issue("silo-a").SiloSettingsFromPfx(pki), new() { ["Silo:GatewayPort"] = gatewayPort.ToString() }));
        await using var second = await InProcessSilo.StartAsync(database, clusterId, With(
            ClusterSettings.EmailTo(smtp), pki.Issue("silo-b").SiloSettingsFromPem(pki)));

        // Membership probes and every grain call between the two go silo to silo, so two Active hosts prove that link.
        await Eventually.WaitAsync(
            () => second.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true),
            hosts => hosts.Count == 2,
            TimeSpan.FromSeconds(60),
            hosts => $"active silos: {string.Join(", ", hosts.Keys)}");

        var client = pki.Issue("ci-client");
        await using var connection = await ConnectAsync(clusterId, gatewayPort, new NotifyClientTlsOptions
        {
            CertificatePath = client.PfxPath,
            CertificatePassword = client.Password,
            TrustedCaPath = pki.AuthorityPemPath,
        });
        var sent = await connection.Client.SendAsync(ClusterSettings.Email("alice@example.com", "over mTLS"));

        var delivered = await smtp.WaitForMessageAsync(m => m.Message.Subject == "over mTLS", TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(["alice@example.com"], delivered.EnvelopeRecipients);
        var record = await Eventually.WaitAsync(
            () => connection.Client.GetMessageAsync(sent.MessageId),
            r => r?.Status == Grains.Abstractions.Records.MessageStatus.Sent,
            TimeSpan.FromSeconds(30),
            r => $"message is {r?.Status}");
        Assert.NotNull(record);
    }

    [Fact]
    public async Task Client_NoCertificateOrOneFromAnotherCa_IsRefused()
    {
        using var pki = TestPki.Create();
        using var stranger = TestPki.Create("stranger");
        var database = await postgres.CreateDatabaseAsync("mtls_refused", Ct);
        var clusterId = "mtls-" + Guid.NewGuid().ToString("N")[..8];
        var gatewayPort = LoopbackPorts.Free();
        var siloCertificate = pki.Issue("silo");
        await using var silo = await InProcessSilo.StartAsync(database, clusterId, With(
            siloCertificate.SiloSettingsFromPfx(pki), new() { ["Silo:GatewayPort"] = gatewayPort.ToString() }));

        var log = new RecordingLoggerProvider();
        silo.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);

        // Plaintext: the gateway expects a TLS handshake and drops the connection.
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(clusterId, gatewayPort, tls: null));

        // A certificate the silo's CA did not issue, though the client itself trusts the silo.
        var untrusted = stranger.Issue("intruder");
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(clusterId, gatewayPort, new NotifyClientTlsOptions
        {
            CertificatePath = untrusted.CertificatePemPath,
            CertificateKeyPath = untrusted.KeyPemPath,
            TrustedCaPath = pki.AuthorityPemPath,
        }));
        Assert.Contains(log.Entries, e => e.StartsWith("Warning")
            && e.Contains("Refused a TLS peer on the Orleans ports: certificate CN=intruder issued by CN=stranger test CA does not chain to a trusted authority"));

        // The control: the same silo takes a client with a certificate from its CA, so the refusals were the
        // certificates. This client pins the silo's certificate instead of trusting the CA.
        var trusted = pki.Issue("trusted");
        await using var connection = await ConnectAsync(clusterId, gatewayPort, new NotifyClientTlsOptions
        {
            CertificatePath = trusted.PfxPath,
            CertificatePassword = trusted.Password,
            TrustedThumbprints = [siloCertificate.Sha256Thumbprint],
        });
        Assert.Empty(await connection.Client.GetBlacklistAsync());
    }

    [Fact]
    public void Build_NetworkAddressWithoutTls_RefusesNamingTheSettings()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Build(new() { ["Silo:AdvertisedIP"] = "10.20.30.40" }));

        Assert.Contains("Silo:AdvertisedIP is 10.20.30.40, so the Orleans silo port", error.Message);
        Assert.Contains("Silo:Tls:Certificate is not configured", error.Message);
        Assert.Contains(OrleansTransportSecurity.AllowPlaintextKey, error.Message);
    }

    [Fact]
    public void Read_TlsSettingsIncomplete_EachProblemNamesItsKey()
    {
        using var pki = TestPki.Create();
        var silo = pki.Issue("silo");
        var loopback = NotifyHostOptions.Read(new ConfigurationBuilder().Build());

        Assert.Contains("neither Silo:Tls:TrustedCaPath nor Silo:Tls:TrustedThumbprints",
            ReadError(loopback, new() { ["Silo:Tls:Certificate:Path"] = silo.PfxPath, ["Silo:Tls:Certificate:Password"] = silo.Password }));
        Assert.Contains("Silo:Tls:Certificate could not be loaded",
            ReadError(loopback, new() { ["Silo:Tls:Certificate:Path"] = silo.PfxPath, ["Silo:Tls:Certificate:Password"] = "wrong", ["Silo:Tls:TrustedCaPath"] = pki.AuthorityPemPath }));
        Assert.Contains("has no private key",
            ReadError(loopback, new() { ["Silo:Tls:Certificate:Path"] = pki.AuthorityPemPath, ["Silo:Tls:TrustedCaPath"] = pki.AuthorityPemPath }));
        Assert.Contains("Silo:Tls:TrustedThumbprints must be SHA-1 (40) or SHA-256 (64) hex digits",
            ReadError(loopback, With(silo.SiloSettingsFromPem(pki), new() { ["Silo:Tls:TrustedThumbprints:0"] = "not-a-thumbprint" })));
        Assert.Contains("Silo:Tls:Certificate is not",
            ReadError(loopback, new() { ["Silo:Tls:TrustedCaPath"] = pki.AuthorityPemPath }));
    }

    [Fact]
    public void Read_NetworkAddressWithExplicitPlaintextOption_AllowsItAndFlagsIt()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = "Host=127.0.0.1",
            ["Silo:AdvertisedIP"] = "10.20.30.40",
            [OrleansTransportSecurity.AllowPlaintextKey] = "true",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var transport = OrleansTransportSecurity.Read(configuration, NotifyHostOptions.Read(configuration), TimeProvider.System);

        Assert.False(transport.IsEnabled);
        Assert.True(transport.PlaintextOnNetwork);
    }

    private static string ReadError(NotifyHostOptions host, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return Assert.Throws<OptionsValidationException>(() => OrleansTransportSecurity.Read(configuration, host, TimeProvider.System)).Message;
    }

    private static void Build(Dictionary<string, string?> settings)
    {
        var all = With(new()
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = "Host=127.0.0.1",
        }, settings);
        NotifyHost.Build([], builder => builder.Configuration.AddInMemoryCollection(all));
    }

    private static async Task<NotifyClientConnection> ConnectAsync(string clusterId, int gatewayPort, NotifyClientTlsOptions? tls)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(ConnectTimeout);
        return await NotifyClientConnection.ConnectAsync(
            new NotifyClientOptions { ClusterId = clusterId, ServiceId = clusterId, GatewayPort = gatewayPort, Tls = tls }, timeout.Token);
    }

    private static Dictionary<string, string?> With(params Dictionary<string, string?>[] parts)
    {
        var all = new Dictionary<string, string?>();
        foreach (var (key, value) in parts.SelectMany(p => p))
        {
            all[key] = value;
        }

        return all;
    }
}
