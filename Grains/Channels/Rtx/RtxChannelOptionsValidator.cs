using Microsoft.Extensions.Options;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Rtx;

internal sealed class RtxChannelOptionsValidator : IValidateOptions<RtxChannelOptions>
{
    private const string Section = RtxChannelOptions.SectionName;
    private static readonly TimeSpan MaxTokenRefreshMargin = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, RtxChannelOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        HttpChannelOptionsChecks.CheckCommon(options, Section, failures);
        HttpChannelOptionsChecks.CheckUrl(options.BaseUrl, $"{Section}:BaseUrl", options, failures);
        if (options.TokenRefreshMargin < TimeSpan.Zero || options.TokenRefreshMargin > MaxTokenRefreshMargin)
        {
            failures.Add($"{Section}:TokenRefreshMargin must be between 00:00:00 and {MaxTokenRefreshMargin} (was {options.TokenRefreshMargin}).");
        }

        return HttpChannelOptionsChecks.ToResult(failures);
    }
}
