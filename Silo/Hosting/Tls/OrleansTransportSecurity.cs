using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Notify.Security;
using Orleans.Connections.Security;

namespace Notify.Silo.Hosting.Tls;

/// <summary>
/// Mutual TLS on the Orleans ports (<c>Silo:Tls</c>): silo to silo and client to gateway. Every connection, in and
/// out, presents <c>Silo:Tls:Certificate</c> and must be answered by a peer certificate that
/// <c>Silo:Tls:TrustedCaPath</c> issued or <c>Silo:Tls:TrustedThumbprints</c> pins; a client without one is refused
/// in the handshake. Required whenever the silo listens beyond loopback: those ports let a caller reach every grain
/// with no API key, so a silo advertising a network address without TLS refuses to start, unless
/// <c>Silo:Tls:DangerouslyAllowPlaintextOnNetwork</c> says the network itself is trusted.
/// </summary>
public sealed class OrleansTransportSecurity
{
    public const string Section = "Silo:Tls";
    public const string AllowPlaintextKey = Section + ":DangerouslyAllowPlaintextOnNetwork";

    private Action<string>? _refused;

    private OrleansTransportSecurity(X509Certificate2? certificate, PeerCertificatePolicy? peers, bool plaintextOnNetwork)
    {
        Certificate = certificate;
        Peers = peers;
        PlaintextOnNetwork = plaintextOnNetwork;
    }

    /// <summary>This silo's certificate; null when the Orleans ports are plaintext.</summary>
    public X509Certificate2? Certificate { get; }

    internal PeerCertificatePolicy? Peers { get; }

    public bool IsEnabled => Certificate is not null;

    /// <summary>Plaintext on a network address, allowed by <see cref="AllowPlaintextKey"/>: the start-up log says so.</summary>
    public bool PlaintextOnNetwork { get; }

    /// <summary>Whether the Orleans ports accept connections from other machines (see <see cref="NotifySiloRegistration"/>).</summary>
    public static bool ListensBeyondLoopback(NotifyHostOptions host) =>
        host.Profile == StorageProfile.Postgres && !IPAddress.IsLoopback(host.AdvertisedIp);

    /// <summary>Reads and loads <c>Silo:Tls</c>; every problem is reported with its key before anything listens.</summary>
    public static OrleansTransportSecurity Read(IConfiguration configuration, NotifyHostOptions host, TimeProvider timeProvider)
    {
        var errors = new List<string>();
        var section = configuration.GetSection(Section);
        var allowPlaintext = false;
        if (configuration[AllowPlaintextKey] is { } allowText && !bool.TryParse(allowText, out allowPlaintext))
        {
            errors.Add($"{AllowPlaintextKey} must be true or false (got '{allowText}')");
        }

        var source = ReadSource(section.GetSection("Certificate"), $"{Section}:Certificate", errors);
        var thumbprints = section.GetSection("TrustedThumbprints").Get<string[]>() ?? [];
        var trustedCaPath = section["TrustedCaPath"];
        X509Certificate2? certificate = null;
        PeerCertificatePolicy? peers = null;
        if (source is null)
        {
            if (!string.IsNullOrWhiteSpace(trustedCaPath) || thumbprints.Length > 0)
            {
                errors.Add($"{Section}:TrustedCaPath or TrustedThumbprints is set but {Section}:Certificate is not: the silo needs its own certificate to speak TLS");
            }
            else if (ListensBeyondLoopback(host) && !allowPlaintext)
            {
                errors.Add(
                    $"Silo:AdvertisedIP is {host.AdvertisedIp}, so the Orleans silo port {host.SiloPort} and gateway port {host.GatewayPort} listen on the network, " +
                    $"but {Section}:Certificate is not configured: anyone who reaches them could call any grain with no API key. " +
                    $"Configure {Section}:Certificate and {Section}:TrustedCaPath (or TrustedThumbprints) for mutual TLS (docs/security.md), " +
                    $"or set {AllowPlaintextKey}=true if this network is trusted");
            }
        }
        else
        {
            certificate = source.TryLoad($"{Section}:Certificate", out var certificateError);
            if (certificateError is not null)
            {
                errors.Add(certificateError);
            }

            peers = PeerCertificatePolicy.TryLoad(trustedCaPath, thumbprints, Section, timeProvider, out var peersError);
            if (peersError is not null)
            {
                errors.Add(peersError);
            }
            else if (peers!.IsEmpty)
            {
                errors.Add($"{Section}:Certificate is set but neither {Section}:TrustedCaPath nor {Section}:TrustedThumbprints is: name the CA (or certificates) that silos and clients must present");
            }
        }

        return errors.Count > 0
            ? throw new OptionsValidationException(Section, typeof(OrleansTransportSecurity), errors)
            : new OrleansTransportSecurity(certificate, peers, source is null && allowPlaintext && ListensBeyondLoopback(host));
    }

    /// <summary>Requires a trusted certificate of every peer, in both directions (<see cref="TlsOptions"/>).</summary>
    internal void Configure(TlsOptions options)
    {
        var peers = Peers!;
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (certificate, chain, _) =>
        {
            var refusal = peers.Refusal(certificate, chain);
            if (refusal is not null)
            {
                Volatile.Read(ref _refused)?.Invoke(refusal);
            }

            return refusal is null;
        };
    }

    /// <summary>Where the reason of each refused peer goes (the start-up log service sets it; Orleans only says that a handshake failed).</summary>
    internal void ReportRefusalsTo(Action<string> refused) => Volatile.Write(ref _refused, refused);

    /// <summary>A <c>…:Certificate</c> section (Path, Password, KeyPath, Thumbprint, StoreLocation); null when empty.</summary>
    internal static CertificateSource? ReadSource(IConfigurationSection section, string key, List<string> errors)
    {
        if (!section.GetChildren().Any())
        {
            return null;
        }

        var location = StoreLocation.CurrentUser;
        if (section["StoreLocation"] is { } locationText && !Enum.TryParse(locationText, ignoreCase: true, out location))
        {
            errors.Add($"{key}:StoreLocation must be CurrentUser or LocalMachine (got '{locationText}')");
        }

        return new CertificateSource(section["Path"], section["Password"], section["KeyPath"], section["Thumbprint"], location);
    }
}
