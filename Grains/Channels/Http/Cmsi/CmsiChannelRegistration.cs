using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Notify.Grains.Channels.Http.Cmsi;

/// <summary>What the WeChat, SMS and voice registrations share once their <c>BaseUrl</c> is set.</summary>
internal static class CmsiChannelRegistration
{
    /// <summary>Binds the options; when the channel is configured, also validation, the named client and the shared <see cref="CmsiClient"/>.</summary>
    public static bool TryAdd<TOptions>(IServiceCollection services, IConfiguration configuration, string sectionName, string httpClientName)
        where TOptions : CmsiChannelOptions
    {
        var section = configuration.GetSection(sectionName);
        if (!HttpChannelRegistration.BindOptions<TOptions, CmsiChannelOptionsValidator<TOptions>>(services, section, nameof(CmsiChannelOptions.BaseUrl)))
        {
            return false;
        }

        HttpChannelRegistration.AddProviderHttpClient(services, httpClientName);
        services.TryAddSingleton<CmsiClient>();
        return true;
    }
}
