using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Channels.Email;

namespace Notify.Grains.Channels;

/// <summary>The registration table of channels (Alertmanager's receiver table): one line per channel folder.</summary>
public static class ChannelsRegistration
{
    public static IServiceCollection AddNotifyChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEmailChannel(configuration);
        services.AddSingleton<ChannelTransportRegistry>();
        return services;
    }
}
