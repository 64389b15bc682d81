using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Notify.IntegrationTests.Security;

/// <summary>
/// A throwaway certificate authority made in-process, and the files operators would configure: the CA as PEM, and
/// leaf certificates for 127.0.0.1/localhost as .pfx and as a PEM pair, usable for both TLS client and server.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private readonly ECDsa _caKey;

    private TestPki(string name, string folder)
    {
        Folder = folder;
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name} test CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        Authority = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        AuthorityPemPath = Path.Combine(folder, $"{name}-ca.pem");
        File.WriteAllText(AuthorityPemPath, Authority.ExportCertificatePem());
    }

    public string Folder { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>The CA certificate as PEM: what <c>TrustedCaPath</c> names.</summary>
    public string AuthorityPemPath { get; }

    /// <summary>A CA named <paramref name="name"/> in a fresh temporary folder (deleted with this object).</summary>
    public static TestPki Create(string name = "notify")
    {
        var folder = Path.Combine(Path.GetTempPath(), "notify-pki-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new TestPki(name, folder);
    }

    /// <summary>A leaf certificate issued by this CA, written as <c>{name}.pfx</c> (password <paramref name="password"/>) and <c>{name}.crt</c>/<c>{name}.key</c>.</summary>
    public IssuedCertificate Issue(string name, string password = "test-password")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth), new Oid(ClientAuth)], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Authority, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(12));
        using var withKey = issued.CopyWithPrivateKey(key);

        var pfxPath = Path.Combine(Folder, name + ".pfx");
        File.WriteAllBytes(pfxPath, withKey.Export(X509ContentType.Pkcs12, password));
        var certificatePath = Path.Combine(Folder, name + ".crt");
        var keyPath = Path.Combine(Folder, name + ".key");
        File.WriteAllText(certificatePath, withKey.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new IssuedCertificate(pfxPath, password, certificatePath, keyPath, withKey.GetCertHashString(HashAlgorithmName.SHA256));
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>The files of one issued certificate and its SHA-256 thumbprint.</summary>
internal sealed record IssuedCertificate(string PfxPath, string Password, string CertificatePemPath, string KeyPemPath, string Sha256Thumbprint)
{
    /// <summary><c>Silo:Tls</c> settings presenting this certificate from its .pfx and trusting <paramref name="authority"/>.</summary>
    public Dictionary<string, string?> SiloSettingsFromPfx(TestPki authority) => new()
    {
        ["Silo:Tls:Certificate:Path"] = PfxPath,
        ["Silo:Tls:Certificate:Password"] = Password,
        ["Silo:Tls:TrustedCaPath"] = authority.AuthorityPemPath,
    };

    /// <summary>The same from the PEM pair.</summary>
    public Dictionary<string, string?> SiloSettingsFromPem(TestPki authority) => new()
    {
        ["Silo:Tls:Certificate:Path"] = CertificatePemPath,
        ["Silo:Tls:Certificate:KeyPath"] = KeyPemPath,
        ["Silo:Tls:TrustedCaPath"] = authority.AuthorityPemPath,
    };
}
