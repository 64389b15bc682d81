using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Sms;

public static class SmsChannelRegistration
{
    /// <summary>
    /// Registers the sms outbox renderer, and the CMSI <c>send_sms</c> transport when <c>Channels:Sms:BaseUrl</c>
    /// is set (its options are then validated at start-up).
    /// </summary>
    public static IServiceCollection AddSmsChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxRenderer, SmsOutboxRenderer>());
        if (CmsiChannelRegistration.TryAdd<SmsChannelOptions>(services, configuration, SmsChannelOptions.SectionName, SmsTransport.HttpClientName))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelTransport, SmsTransport>());
        }

        return services;
    }
}
