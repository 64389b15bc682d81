using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Wework;

internal sealed class WeworkChannelOptionsValidator : IValidateOptions<WeworkChannelOptions>
{
    private const string Section = WeworkChannelOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, WeworkChannelOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        HttpChannelOptionsChecks.CheckCommon(options, Section, failures);

        // A URL pasted with ?key=… would carry the key into places that print URLs.
        HttpChannelOptionsChecks.CheckUrl(options.WebhookUrl, $"{Section}:WebhookUrl", options, failures, queryAdvice: $"put the robot key in {Section}:Key");
        foreach (var (robotName, robot) in options.Robots)
        {
            var key = $"{Section}:Robots:{robotName}";
            if (!RobotNames.IsValid(robotName))
            {
                failures.Add($"{Section}:Robots has a robot named '{NotifyMessageValidator.Printable(robotName)}'; names must match {RobotNames.Pattern}.");
                continue;
            }

            HttpChannelOptionsChecks.CheckRequired(robot.Key, $"{key}:Key", failures);
            if (!string.IsNullOrEmpty(robot.WebhookUrl))
            {
                HttpChannelOptionsChecks.CheckUrl(robot.WebhookUrl, $"{key}:WebhookUrl", options, failures, queryAdvice: $"put the robot key in {key}:Key");
            }
        }

        return HttpChannelOptionsChecks.ToResult(failures);
    }
}
