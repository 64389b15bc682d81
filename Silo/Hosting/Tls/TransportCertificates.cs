using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Notify.Security;

/// <summary>
/// Where a certificate with its private key comes from: a PKCS#12 file (<see cref="Path"/> and <see cref="Password"/>),
/// a PEM pair (<see cref="Path"/> and <see cref="KeyPath"/>, the key encrypted when <see cref="Password"/> is set) or
/// the <c>My</c> store (<see cref="Thumbprint"/> and <see cref="StoreLocation"/>). The silo and the client share this
/// file (linked into both), so both read certificates the same way.
/// </summary>
internal sealed record CertificateSource(string? Path, string? Password, string? KeyPath, string? Thumbprint, StoreLocation StoreLocation)
{
    /// <summary>The certificate, or null with <paramref name="error"/> naming <paramref name="key"/> and what is wrong.</summary>
    public X509Certificate2? TryLoad(string key, out string? error)
    {
        error = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(Path) == !string.IsNullOrWhiteSpace(Thumbprint))
            {
                error = $"{key} needs exactly one of Path (a .pfx/.p12 or PEM file) and Thumbprint (a certificate in the My store)";
                return null;
            }

            var certificate = string.IsNullOrWhiteSpace(Thumbprint) ? FromFile() : FromStore(key, out error);
            if (certificate is null)
            {
                return null;
            }

            if (!certificate.HasPrivateKey)
            {
                error = $"{key} ({certificate.Subject}) has no private key; give the .pfx, the PEM KeyPath, or a store certificate with its key";
                certificate.Dispose();
                return null;
            }

            return certificate;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            error = $"{key} could not be loaded: {exception.Message}";
            return null;
        }
    }

    private X509Certificate2 FromFile()
    {
        if (!string.IsNullOrWhiteSpace(KeyPath))
        {
            return string.IsNullOrEmpty(Password)
                ? X509Certificate2.CreateFromPemFile(Path!, KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(Path!, Password, KeyPath);
        }

        var text = File.ReadAllText(Path!);
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(Path!, Password);
        }

        // PEM with the key in the same file, or a certificate alone (refused by the caller as having no key).
        return text.Contains("PRIVATE KEY-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPemFile(Path!)
            : X509Certificate2.CreateFromPem(text);
    }

    private X509Certificate2? FromStore(string key, out string? error)
    {
        using var store = new X509Store(StoreName.My, StoreLocation);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var found = store.Certificates.Find(X509FindType.FindByThumbprint, Thumbprint!.Replace(" ", ""), validOnly: false);
        error = found.Count == 0 ? $"{key}:Thumbprint {Thumbprint} is not in the {StoreLocation} My store" : null;
        return found.Count == 0 ? null : found[0];
    }
}

/// <summary>
/// Which peers a TLS endpoint accepts: certificates issued by one of <see cref="Authorities"/> (a private CA, checked
/// with a custom trust root, not the machine's public roots) or pinned by thumbprint (SHA-256 or SHA-1, hex). Host
/// names are not checked: silos and clients reach each other by IP address, and the CA or the pin is what vouches
/// for the peer. With neither configured nobody is trusted, so a public CA's certificate never passes by accident.
/// </summary>
internal sealed class PeerCertificatePolicy(X509Certificate2Collection authorities, IReadOnlyCollection<string> thumbprints, TimeProvider timeProvider)
{
    private readonly HashSet<string> _thumbprints = thumbprints.Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public X509Certificate2Collection Authorities => authorities;

    public bool IsEmpty => authorities.Count == 0 && _thumbprints.Count == 0;

    /// <summary>
    /// Why <paramref name="certificate"/> is not trusted, or null when it is. The intermediates in
    /// <paramref name="presented"/> (the chain the TLS stack built from what the peer sent) help build the chain; only
    /// <see cref="Authorities"/> can end it.
    /// </summary>
    public string? Refusal(X509Certificate2 certificate, X509Chain? presented = null)
    {
        var now = timeProvider.GetLocalNow().DateTime;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return $"certificate {certificate.Subject} is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u}";
        }

        if (_thumbprints.Contains(certificate.Thumbprint) || _thumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256)))
        {
            return null;
        }

        if (authorities.Count == 0)
        {
            return $"certificate {certificate.Subject} (SHA-256 {certificate.GetCertHashString(HashAlgorithmName.SHA256)}) is not one of the trusted thumbprints";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        foreach (var element in presented?.ChainElements.Skip(1) ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        if (chain.Build(certificate))
        {
            return null;
        }

        var problems = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"certificate {certificate.Subject} issued by {certificate.Issuer} does not chain to a trusted authority ({problems})";
    }

    /// <summary>The policy from a PEM/DER file of CA certificates and a list of pins; null with <paramref name="error"/> when the file is unreadable.</summary>
    public static PeerCertificatePolicy? TryLoad(string? authoritiesPath, IReadOnlyCollection<string> thumbprints, string key, TimeProvider timeProvider, out string? error)
    {
        error = null;
        var authorities = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(authoritiesPath))
        {
            try
            {
                var text = File.ReadAllText(authoritiesPath);
                if (text.Contains("-----BEGIN", StringComparison.Ordinal))
                {
                    authorities.ImportFromPem(text);
                }
                else
                {
                    authorities.Add(X509CertificateLoader.LoadCertificateFromFile(authoritiesPath));
                }
            }
            catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
            {
                error = $"{key}:TrustedCaPath could not be read: {exception.Message}";
                return null;
            }

            if (authorities.Count == 0)
            {
                error = $"{key}:TrustedCaPath holds no certificate";
                return null;
            }
        }

        var badPin = thumbprints.FirstOrDefault(t => Normalize(t) is var pin && (pin.Length is not (40 or 64) || !pin.All(Uri.IsHexDigit)));
        if (badPin is not null)
        {
            error = $"{key}:TrustedThumbprints must be SHA-1 (40) or SHA-256 (64) hex digits (got '{badPin}')";
            return null;
        }

        return new PeerCertificatePolicy(authorities, thumbprints, timeProvider);
    }

    private static string Normalize(string thumbprint) => thumbprint.Replace(":", "").Replace(" ", "").Trim();
}
