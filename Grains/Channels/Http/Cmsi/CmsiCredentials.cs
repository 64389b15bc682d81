namespace Notify.Grains.Channels.Http.Cmsi;

/// <summary>The common parameters of every CMSI request; null values are left out of the body.</summary>
internal sealed record CmsiCredentials(string? AppCode, string? AppSecret, string? Username)
{
    /// <summary>What the outbox writes: everything but the secret.</summary>
    public CmsiCredentials WithoutSecret() => this with { AppSecret = null };
}
