using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels.Http;

namespace Notify.Grains.Channels.Voice;

/// <summary>The <c>send_voice_msg</c> body the transport would POST, without <c>bk_app_secret</c>.</summary>
internal sealed class VoiceOutboxRenderer(IOptions<VoiceChannelOptions> options) : IOutboxRenderer
{
    public NotifyChannel Channel => NotifyChannel.Voice;

    public string Extension => "json";

    public Task RenderAsync(ChannelDelivery delivery, Stream destination, CancellationToken cancellationToken) =>
        ProviderJson.WriteOutboxAsync(destination, [VoicePayload.Build(delivery, options.Value.Credentials.WithoutSecret())], cancellationToken);
}
