using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Templates;

/// <summary>
/// Channels as BK-CI's <c>NotifyType</c> spells them on the template endpoints: <c>EMAIL</c>, <c>RTX</c>, <c>WECHAT</c>,
/// <c>SMS</c>, <c>VOICE</c>, <c>WEWORK</c> (the group robot), read in any case; BK-CI's <c>WEWORK_GROUP</c> is read as
/// <c>WEWORK</c>, the channel that posts to groups. Answers use the upper-case names.
/// </summary>
public static class TemplateWireNames
{
    private const string GroupRobotAlias = "WEWORK_GROUP";

    private static readonly string Accepted =
        $"{string.Join(", ", NotifyChannels.All.Select(Name))} or {GroupRobotAlias}";

    public static string Name(NotifyChannel channel) => channel.Name().ToUpperInvariant();

    public static IReadOnlyList<string> Names(IEnumerable<NotifyChannel> channels) => channels.Select(Name).ToArray();

    /// <summary>
    /// The channels a list of names stands for. A name that is no channel is refused here, naming the entry: the contract
    /// has no value for it to carry to the validator.
    /// </summary>
    public static IReadOnlyList<NotifyChannel> Channels(IReadOnlyList<string>? names, string field)
    {
        if (names is null)
        {
            return [];
        }

        var channels = new NotifyChannel[names.Count];
        var errors = new List<FieldError>();
        for (var i = 0; i < names.Count; i++)
        {
            if (TryParse(names[i], out var channel))
            {
                channels[i] = channel;
            }
            else
            {
                errors.Add(new FieldError($"{field}[{i}]", $"'{names[i]}' is not a channel ({Accepted})"));
            }
        }

        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : channels;
    }

    public static NotifyChannel Channel(string? name, string field) =>
        string.IsNullOrWhiteSpace(name) ? throw NotifyRequestException.Invalid(field, $"is required ({Accepted})")
        : TryParse(name, out var channel) ? channel
        : throw NotifyRequestException.Invalid(field, $"'{name}' is not a channel ({Accepted})");

    private static bool TryParse(string? name, out NotifyChannel channel)
    {
        var trimmed = name?.Trim();
        if (string.Equals(trimmed, GroupRobotAlias, StringComparison.OrdinalIgnoreCase))
        {
            channel = NotifyChannel.Wework;
            return true;
        }

        return NotifyChannels.TryParse(trimmed, out channel);
    }
}
