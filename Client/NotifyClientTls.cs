using System.Security.Cryptography.X509Certificates;
using Notify.Security;
using Orleans.Connections.Security;

namespace Notify.Client;

/// <summary>
/// The client's side of the cluster's mutual TLS (the silos' <c>Silo:Tls</c>): the certificate this client presents
/// to the gateway, and which gateway certificates it accepts. Set <see cref="NotifyClientOptions.Tls"/> to use it.
/// </summary>
public sealed record NotifyClientTlsOptions
{
    /// <summary>A .pfx/.p12 file, or a PEM certificate with <see cref="CertificateKeyPath"/>. Or use <see cref="CertificateThumbprint"/>.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The .pfx password, or the password of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; init; }

    /// <summary>A certificate in the <c>My</c> store of <see cref="StoreLocation"/>, instead of a file.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>The default value is <see cref="StoreLocation.CurrentUser"/>.</summary>
    public StoreLocation StoreLocation { get; init; } = StoreLocation.CurrentUser;

    /// <summary>A PEM (or DER) file of the CA certificates that issue the silos' certificates.</summary>
    public string? TrustedCaPath { get; init; }

    /// <summary>Silo certificates accepted by SHA-256 or SHA-1 thumbprint (hex), besides <see cref="TrustedCaPath"/>.</summary>
    public IReadOnlyList<string> TrustedThumbprints { get; init; } = [];
}

internal static class NotifyClientTls
{
    /// <summary>Presents the certificate on every gateway connection and accepts only trusted silo certificates.</summary>
    public static IClientBuilder UseNotifyTls(this IClientBuilder client, NotifyClientTlsOptions tls)
    {
        var source = new CertificateSource(tls.CertificatePath, tls.CertificatePassword, tls.CertificateKeyPath, tls.CertificateThumbprint, tls.StoreLocation);
        var certificate = source.TryLoad("Tls certificate", out var certificateError)
            ?? throw new InvalidOperationException(certificateError);
        var peers = PeerCertificatePolicy.TryLoad(tls.TrustedCaPath, tls.TrustedThumbprints, "Tls", TimeProvider.System, out var peersError)
            ?? throw new InvalidOperationException(peersError);
        if (peers.IsEmpty)
        {
            throw new InvalidOperationException("Tls needs TrustedCaPath or TrustedThumbprints: the silo certificates this client accepts");
        }

        return client.UseTls(certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.RemoteCertificateValidation = (peer, chain, _) => peers.Refusal(peer, chain) is null;
        });
    }
}
