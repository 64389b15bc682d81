using Microsoft.Extensions.Options;

namespace Notify.Grains.Channels.Http.Cmsi;

/// <summary>The start-up checks of a CMSI channel's options; messages name the channel's own keys.</summary>
internal sealed class CmsiChannelOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : CmsiChannelOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var section = options.Section;
        var failures = new List<string>();
        HttpChannelOptionsChecks.CheckCommon(options, section, failures);
        HttpChannelOptionsChecks.CheckUrl(options.BaseUrl, $"{section}:BaseUrl", options, failures);
        HttpChannelOptionsChecks.CheckRequired(options.AppCode, $"{section}:AppCode", failures);
        HttpChannelOptionsChecks.CheckRequired(options.AppSecret, $"{section}:AppSecret", failures);
        return HttpChannelOptionsChecks.ToResult(failures);
    }
}
