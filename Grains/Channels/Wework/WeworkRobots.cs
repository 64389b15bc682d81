using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Channels.Wework;

/// <summary>A robot a message can name: where its webhook is and its key (a secret: never logged nor recorded).</summary>
internal sealed record WeworkRobot(string Name, string WebhookUrl, string Key);

/// <summary>
/// The configured robots: the default one (<c>Channels:Wework:Key</c>, name "") and the named ones
/// (<c>Channels:Wework:Robots:&lt;name&gt;</c>). Only configuration adds a robot; a message names one.
/// </summary>
public sealed class WeworkRobots(IOptions<WeworkChannelOptions> options)
{
    private readonly WeworkChannelOptions _options = options.Value;

    /// <summary>
    /// Refuses a robot message naming a robot that is not configured, naming the field and nothing else: the names
    /// configured are not listed, their keys never.
    /// </summary>
    public void EnsureKnown(NotifyMessage message)
    {
        if (message.Channel == NotifyChannel.Wework && message.Robot.Length > 0 && !_options.Robots.ContainsKey(message.Robot))
        {
            throw NotifyRequestException.Invalid("robot", $"'{NotifyMessageValidator.Printable(message.Robot)}' is not a configured robot (Channels:Wework:Robots)");
        }
    }

    /// <summary>The robot <paramref name="name"/> picks; a name no longer configured (removed after acceptance) is null.</summary>
    internal WeworkRobot? Find(string name)
    {
        if (name.Length == 0)
        {
            return new WeworkRobot("", _options.WebhookUrl, _options.Key);
        }

        return _options.Robots.TryGetValue(name, out var robot)
            ? new WeworkRobot(name, string.IsNullOrEmpty(robot.WebhookUrl) ? _options.WebhookUrl : robot.WebhookUrl, robot.Key)
            : null;
    }
}
