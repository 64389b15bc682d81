namespace Notify.Grains.Abstractions;

/// <summary>
/// Every string grain key in one place. Keys start with a non-hex prefix and escape '+' so the ADO.NET
/// storage never reads them as integer keys or key extensions (orleans-facts.md §1.3).
/// </summary>
public static class GrainKeys
{
    public const string Blacklist = "blacklist";

    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N");

    public static string FrequencyLimit(NotifyChannel channel, string address) =>
        $"fl:{channel.Name()}/{Escape(NormalizeAddress(channel, address))}";

    public static string Contact(string username) => "u:" + Escape(username.ToLowerInvariant());

    public static string ChannelSender(NotifyChannel channel) => "ch:" + channel.Name();

    /// <summary>E-mail addresses compare case-insensitively; every other channel id is exact.</summary>
    public static string NormalizeAddress(NotifyChannel channel, string address) =>
        channel == NotifyChannel.Email ? address.ToLowerInvariant() : address;

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
