using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Notify.Security;

namespace Notify.IntegrationTests.Security;

/// <summary>Which peer certificates the Orleans ports accept: the configured CA's, or pinned ones, and only while valid.</summary>
public sealed class PeerCertificatePolicyTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly TestPki _stranger = TestPki.Create("stranger");

    [Fact]
    public void Refusal_IssuedByTheTrustedCa_Accepted()
    {
        using var peer = Load(_pki.Issue("peer"));

        Assert.Null(Policy(authorities: [_pki.Authority]).Refusal(peer));
    }

    [Fact]
    public void Refusal_IssuedByAnotherCa_RefusedNamingTheIssuer()
    {
        using var peer = Load(_stranger.Issue("intruder"));

        var refusal = Policy(authorities: [_pki.Authority]).Refusal(peer);

        Assert.StartsWith("certificate CN=intruder issued by CN=stranger test CA does not chain to a trusted authority", refusal);
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("SHA1")]
    public void Refusal_PinnedByThumbprint_AcceptedWithoutAnyCa(string algorithm)
    {
        using var peer = Load(_stranger.Issue("pinned"));
        var thumbprint = peer.GetCertHashString(new HashAlgorithmName(algorithm)).ToLowerInvariant();

        Assert.Null(Policy(thumbprints: [thumbprint]).Refusal(peer));
    }

    [Fact]
    public void Refusal_NotPinnedAndNoCa_RefusedWithItsThumbprint()
    {
        using var peer = Load(_pki.Issue("unpinned"));

        var refusal = Policy(thumbprints: [new string('a', 64)]).Refusal(peer);

        Assert.Contains(peer.GetCertHashString(HashAlgorithmName.SHA256), refusal);
        Assert.Contains("is not one of the trusted thumbprints", refusal);
    }

    [Fact]
    public void Refusal_ExpiredThoughPinnedAndFromTheCa_Refused()
    {
        using var peer = Load(_pki.Issue("expired"));
        var afterExpiry = new FakeTimeProvider(new DateTimeOffset(peer.NotAfter.ToUniversalTime()).AddDays(1));
        var policy = new PeerCertificatePolicy([_pki.Authority], [peer.GetCertHashString(HashAlgorithmName.SHA256)], afterExpiry);

        Assert.StartsWith("certificate CN=expired is valid from", policy.Refusal(peer));
    }

    public void Dispose()
    {
        _pki.Dispose();
        _stranger.Dispose();
    }

    private static PeerCertificatePolicy Policy(X509Certificate2[]? authorities = null, string[]? thumbprints = null) =>
        new(new X509Certificate2Collection(authorities ?? []), thumbprints ?? [], TimeProvider.System);

    private static X509Certificate2 Load(IssuedCertificate issued) => X509CertificateLoader.LoadPkcs12FromFile(issued.PfxPath, issued.Password);
}
