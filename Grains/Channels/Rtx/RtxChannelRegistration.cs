using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Rtx;

public static class RtxChannelRegistration
{
    /// <summary>
    /// Registers the rtx outbox renderer, and the WeCom application-message transport when
    /// <c>Channels:Rtx:BaseUrl</c> is set (its options are then validated at start-up).
    /// </summary>
    public static IServiceCollection AddRtxChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxRenderer, RtxOutboxRenderer>());
        var section = configuration.GetSection(RtxChannelOptions.SectionName);
        if (!HttpChannelRegistration.BindOptions<RtxChannelOptions, RtxChannelOptionsValidator>(services, section, nameof(RtxChannelOptions.BaseUrl)))
        {
            return services;
        }

        HttpChannelRegistration.AddProviderHttpClient(services, RtxTransport.HttpClientName);
        services.TryAddSingleton<WecomAccessTokenCache>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelTransport, RtxTransport>());
        return services;
    }
}
