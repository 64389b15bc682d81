using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains.Channels.Email;
using Notify.Grains.Channels.Rtx;
using Notify.Grains.Channels.Sms;
using Notify.Grains.Channels.Voice;
using Notify.Grains.Channels.Wechat;
using Notify.Grains.Channels.Wework;

namespace Notify.Grains.Channels;

/// <summary>The registration table of channels (Alertmanager's receiver table): one line per channel folder.</summary>
public static class ChannelsRegistration
{
    public static IServiceCollection AddNotifyChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEmailChannel(configuration);
        services.AddRtxChannel(configuration);
        services.AddWechatChannel(configuration);
        services.AddSmsChannel(configuration);
        services.AddVoiceChannel(configuration);
        services.AddWeworkChannel(configuration);
        services.AddOptions<ChannelSenderOptions>().Bind(configuration.GetSection(ChannelSenderOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ChannelTransportRegistry>();
        services.AddSingleton<ChannelDispatchers>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ChannelDispatchers>());
        return services;
    }
}
