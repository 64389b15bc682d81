using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.Silo.Hosting.Tls;
using static Notify.IntegrationTests.Infrastructure.Host.SecuredHostFixture;

namespace Notify.IntegrationTests.Security;

/// <summary>
/// <c>Gateway:Tls:Certificate</c>: REST over HTTPS and gRPC as HTTP/2 over TLS, verified against the test CA as a
/// caller would; cleartext on those ports gets no answer; the dashboard cookie is <c>Secure</c>; a gateway on a
/// network address without a certificate does not start.
/// </summary>
public sealed class GatewayTlsTests
{
    private const string EmailJson = """{"receivers":["tls@example.com"],"title":"over https","body":"b"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RestAndGrpc_CertificateConfigured_AnswerOverTlsOnly()
    {
        using var pki = TestPki.Create();
        var certificate = pki.Issue("gateway");
        await using var host = await NotifyTestHost.StartAsync(new Dictionary<string, string?>(Settings)
        {
            ["Gateway:Tls:Certificate:Path"] = certificate.CertificatePemPath,
            ["Gateway:Tls:Certificate:KeyPath"] = certificate.KeyPemPath,
        });
        using var https = new HttpClient(TrustingOnly(pki.Authority)) { BaseAddress = new Uri($"https://127.0.0.1:{host.Ports.Http}") };

        var sent = await https.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", EmailJson, CiKey));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var record = await host.WaitForFinalAsync(sent.Body.GetProperty("messageId").GetString()!);
        Assert.Equal(Grains.Abstractions.Records.MessageStatus.Sent, record.Status);

        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{host.Ports.Grpc}", new GrpcChannelOptions { HttpHandler = TrustingOnly(pki.Authority) });
        var request = new SendEmailRequest { Title = "over h2 tls", Body = "b" };
        request.Receivers.Add("grpc-tls@example.com");
        var grpcSent = await new GrpcTestClient(channel).CallAsync<SendEmailRequest, SendResponse>(
            NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(CiKey));
        Assert.StartsWith("msg_", grpcSent.MessageId);

        // The same ports in cleartext: the TLS listener does not speak plain HTTP.
        using var cleartext = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Ports.Http}"), Timeout = TimeSpan.FromSeconds(30) };
        await Assert.ThrowsAsync<HttpRequestException>(() => cleartext.GetAsync("/healthz", Ct));

        // A caller that does not trust the gateway's CA refuses the connection (no silent fallback).
        using var stranger = TestPki.Create("stranger");
        using var untrusting = new HttpClient(TrustingOnly(stranger.Authority)) { BaseAddress = https.BaseAddress };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/healthz", Ct));
        Assert.IsType<AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task DashboardLogin_TlsOn_CookieIsSecure()
    {
        using var pki = TestPki.Create();
        var certificate = pki.Issue("gateway");
        await using var host = await NotifyTestHost.StartAsync(new Dictionary<string, string?>(Settings)
        {
            ["Gateway:Tls:Certificate:Path"] = certificate.PfxPath,
            ["Gateway:Tls:Certificate:Password"] = certificate.Password,
        });
        var handler = TrustingOnly(pki.Authority);
        handler.AllowAutoRedirect = false;
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{host.Ports.Http}") };

        using var response = await https.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("key", AdminKey)]), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("notify-dashboard=", cookie);
        Assert.Contains("secure", cookie);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Start_NetworkAddressWithoutCertificate_RefusesNamingTheSettings()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => NotifyTestHost.StartAsync(
            new Dictionary<string, string?>(Settings) { ["Gateway:ListenAddress"] = "0.0.0.0" }));

        Assert.Contains("Gateway:ListenAddress is 0.0.0.0 but Gateway:Tls:Certificate is not configured", error.Message);
        Assert.Contains(GatewayTransportSecurity.BehindProxyKey, error.Message);
    }

    [Fact]
    public async Task Start_NetworkAddressWithoutKeysOrCertificate_NamesBothInOneMessage()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => NotifyTestHost.StartAsync(
            new Dictionary<string, string?> { ["Gateway:ListenAddress"] = "0.0.0.0" }));

        Assert.Contains("no Gateway:ApiKeys or Gateway:AdminKeys are configured", error.Message);
        Assert.Contains("Gateway:Tls:Certificate is not configured", error.Message);
    }

    [Fact]
    public async Task Start_CertificateWithoutKey_RefusesNamingTheKey()
    {
        using var pki = TestPki.Create();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => NotifyTestHost.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Tls:Certificate:Path"] = pki.AuthorityPemPath }));

        Assert.Contains("Gateway:Tls:Certificate (CN=notify test CA) has no private key", error.Message);
    }

    /// <summary>A handler that accepts exactly the certificates <paramref name="authority"/> issued, as a caller pinning its CA would.</summary>
    private static SocketsHttpHandler TrustingOnly(X509Certificate2 authority) => new()
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            },
        },
    };
}
