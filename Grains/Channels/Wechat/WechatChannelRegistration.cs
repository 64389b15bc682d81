using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Grains.Channels.Http.Cmsi;

namespace Notify.Grains.Channels.Wechat;

public static class WechatChannelRegistration
{
    /// <summary>
    /// Registers the wechat outbox renderer, and the CMSI <c>send_weixin</c> transport when <c>Channels:Wechat:BaseUrl</c>
    /// is set (its options are then validated at start-up).
    /// </summary>
    public static IServiceCollection AddWechatChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxRenderer, WechatOutboxRenderer>());
        if (CmsiChannelRegistration.TryAdd<WechatChannelOptions>(services, configuration, WechatChannelOptions.SectionName, WechatTransport.HttpClientName))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelTransport, WechatTransport>());
        }

        return services;
    }
}
