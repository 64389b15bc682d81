using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Wework;

public static class WeworkChannelRegistration
{
    /// <summary>
    /// Registers the wework outbox renderer, and the group-robot transport when <c>Channels:Wework:WebhookUrl</c>
    /// is set (its options are then validated at start-up).
    /// </summary>
    public static IServiceCollection AddWeworkChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxRenderer, WeworkOutboxRenderer>());
        services.TryAddSingleton<WeworkRobots>();
        var section = configuration.GetSection(WeworkChannelOptions.SectionName);
        if (!HttpChannelRegistration.BindOptions<WeworkChannelOptions, WeworkChannelOptionsValidator>(services, section, nameof(WeworkChannelOptions.WebhookUrl)))
        {
            return services;
        }

        HttpChannelRegistration.AddProviderHttpClient(services, WeworkTransport.HttpClientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelTransport, WeworkTransport>());
        return services;
    }
}
