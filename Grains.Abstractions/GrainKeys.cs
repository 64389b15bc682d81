namespace Notify.Grains.Abstractions;

/// <summary>
/// Every string grain key in one place. Keys start with a non-hex prefix and escape '+' so the ADO.NET
/// storage never reads them as integer keys or key extensions (orleans-facts.md §1.3).
/// </summary>
public static class GrainKeys
{
    public const string Blacklist = "blacklist";

    /// <summary>How many keys <see cref="NotifyEntry"/> spreads submits over.</summary>
    public const int NotifyEntryKeys = 16;

    /// <summary>
    /// The key of the <c>INotifyGrain</c> an Orleans client submits through. An Orleans client sends every call for one
    /// grain id through the one gateway its id's bucket was given, so a fixed key would put every submit of a client on
    /// one silo; a key drawn from a few spreads them over the gateways, and each silo sends what it accepted. Inside a
    /// silo the key does not matter (a stateless worker is always local).
    /// </summary>
    public static long NotifyEntry() => Random.Shared.Next(NotifyEntryKeys);

    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N");

    public static string FrequencyLimit(NotifyChannel channel, string address) =>
        $"fl:{channel.Name()}/{Escape(NormalizeAddress(channel, address))}";

    public static string Contact(string username) => "u:" + Escape(username.ToLowerInvariant());

    /// <summary>A channel's sender: a stateless worker, so the same key names each silo's own activation.</summary>
    public static string ChannelSender(NotifyChannel channel) => "ch:" + channel.Name();

    /// <summary>The cluster-wide rate limit of one provider credential (an SMTP account, a WeCom agent, a robot key…).</summary>
    public static string ProviderLimiter(string credential) => "pl:" + Escape(credential);

    /// <summary>
    /// The cluster-wide budget of one calling system, by the source its key is bound to, so an action instance, which
    /// knows its owner's source, charges the budget its creator's requests take from.
    /// </summary>
    public static string SourceLimiter(string source) => "rl:s/" + Escape(source);

    /// <summary>The cluster-wide budget of one admin key (<c>admin:&lt;name&gt;</c>), which has no source of its own.</summary>
    public static string AdminKeyLimiter(string keyId) => "rl:k/" + Escape(keyId);

    /// <summary>E-mail addresses compare case-insensitively; every other channel id is exact.</summary>
    public static string NormalizeAddress(NotifyChannel channel, string address) =>
        channel == NotifyChannel.Email ? address.ToLowerInvariant() : address;

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
