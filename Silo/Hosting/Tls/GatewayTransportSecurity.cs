using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Hosting.Tls;

/// <summary>
/// TLS on the gateway's REST and gRPC ports (<c>Gateway:Tls:Certificate</c>): HTTPS with HTTP/1.1 on the REST port
/// and HTTP/2 over TLS (ALPN h2) on the gRPC port, and the dashboard cookie marked <c>Secure</c>. Without a
/// certificate both stay cleartext, which is allowed on loopback only: API keys and message bodies would cross the
/// network readable. A gateway behind a proxy that terminates TLS says so with
/// <c>Gateway:Tls:PlaintextBehindTlsProxy</c>. No HSTS header is sent (docs/security.md says why).
/// </summary>
public sealed class GatewayTransportSecurity
{
    public const string Section = "Gateway:Tls";
    public const string BehindProxyKey = Section + ":PlaintextBehindTlsProxy";

    private readonly string? _plaintextRefusal;

    private GatewayTransportSecurity(X509Certificate2? certificate, string? plaintextRefusal)
    {
        Certificate = certificate;
        _plaintextRefusal = plaintextRefusal;
    }

    /// <summary>The server certificate of both ports; null for cleartext.</summary>
    public X509Certificate2? Certificate { get; }

    public bool IsEnabled => Certificate is not null;

    /// <summary>Reads and loads <c>Gateway:Tls</c>; every problem is reported with its key before anything listens.</summary>
    public static GatewayTransportSecurity Read(IConfiguration configuration, NotifyHostOptions host)
    {
        var errors = new List<string>();
        var behindProxy = false;
        if (configuration[BehindProxyKey] is { } behindProxyText && !bool.TryParse(behindProxyText, out behindProxy))
        {
            errors.Add($"{BehindProxyKey} must be true or false (got '{behindProxyText}')");
        }

        X509Certificate2? certificate = null;
        string? plaintextRefusal = null;
        var source = OrleansTransportSecurity.ReadSource(configuration.GetSection(Section + ":Certificate"), $"{Section}:Certificate", errors);
        if (source is not null)
        {
            certificate = source.TryLoad($"{Section}:Certificate", out var error);
            if (error is not null)
            {
                errors.Add(error);
            }
        }
        else if (!IPAddress.IsLoopback(host.ListenAddress) && !behindProxy)
        {
            plaintextRefusal =
                $"Gateway:ListenAddress is {host.ListenAddress} but {Section}:Certificate is not configured: API keys and messages would cross the network in cleartext. " +
                $"Configure {Section}:Certificate (docs/security.md), or set {BehindProxyKey}=true when a proxy in front terminates TLS and only it reaches this port";
        }

        return errors.Count > 0
            ? throw new OptionsValidationException(Section, typeof(GatewayTransportSecurity), errors)
            : new GatewayTransportSecurity(certificate, plaintextRefusal);
    }

    /// <summary>HTTPS on <paramref name="endpoint"/> when a certificate is configured.</summary>
    public void Apply(ListenOptions endpoint)
    {
        if (Certificate is { } certificate)
        {
            endpoint.UseHttps(certificate);
        }
    }

    /// <summary>
    /// With TLS on, the dashboard's login cookie is never sent over cleartext. Cleartext on a network address is
    /// refused with the gateway's key checks at start, so an operator reads every missing setting in one message.
    /// </summary>
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddSingleton<IValidateOptions<GatewaySecurityOptions>>(new PlaintextOnNetworkCheck(_plaintextRefusal));
        if (IsEnabled)
        {
            services.PostConfigure<CookieAuthenticationOptions>(
                GatewaySecurityRegistration.DashboardCookieScheme, cookie => cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always);
        }
    }

    private sealed class PlaintextOnNetworkCheck(string? refusal) : IValidateOptions<GatewaySecurityOptions>
    {
        public ValidateOptionsResult Validate(string? name, GatewaySecurityOptions options) =>
            refusal is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(refusal);
    }
}
