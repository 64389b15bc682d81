using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Voice;

public static class VoiceChannelRegistration
{
    /// <summary>
    /// Registers the voice outbox renderer, and the CMSI <c>send_voice_msg</c> transport when <c>Channels:Voice:BaseUrl</c>
    /// is set (its options are then validated at start-up).
    /// </summary>
    public static IServiceCollection AddVoiceChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxRenderer, VoiceOutboxRenderer>());
        if (CmsiChannelRegistration.TryAdd<VoiceChannelOptions>(services, configuration, VoiceChannelOptions.SectionName, VoiceTransport.HttpClientName))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelTransport, VoiceTransport>());
        }

        return services;
    }
}
