namespace Notify.Grains.Abstractions.Attention;

/// <summary>
/// One person's attention budget within one tenant (the source that sends their alert notices): decides each alert
/// notice and sends the digests of those it held. Keyed by <see cref="AttentionKeys.Person"/>.
/// </summary>
[Alias("notify.IPersonAttentionGrain")]
public interface IPersonAttentionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Decides one alert notice to <paramref name="receiver"/> (as the message lists them), durably: send it now, or
    /// fold it into the channel's digest, whose message id the answer names. Asking again for the same message and
    /// channel (a retried attempt) answers as the first time.
    /// </summary>
    [Alias("Decide")]
    Task<AttentionDecision> DecideAsync(AttentionNotice notice, string receiver);

    /// <summary>Submits every digest that is due (what the reminder does); harmless when none is.</summary>
    [Alias("SendDue")]
    Task SendDueAsync();
}

public static class AttentionKeys
{
    /// <summary>
    /// <c>att:&lt;tenant&gt;/&lt;person&gt;</c>, the person being a directory username (lower-cased, as the directory
    /// compares them), else the receiver's normalized channel address. Budgets are per tenant: one owner's alerts
    /// never hold back, or show up in the digest of, another owner's.
    /// </summary>
    public static string Person(string tenant, NotifyChannel channel, string? username, string address) =>
        "att:" + Uri.EscapeDataString(tenant) + "/"
        + Uri.EscapeDataString(username is { Length: > 0 } ? "u:" + username.ToLowerInvariant() : "a:" + GrainKeys.NormalizeAddress(channel, address));
}
