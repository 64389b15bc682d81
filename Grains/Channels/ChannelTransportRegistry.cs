using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Channels.Outbox;

namespace Notify.Grains.Channels;

/// <summary>Which transport each channel uses: its configured provider, or the outbox when none is configured.</summary>
public sealed class ChannelTransportRegistry
{
    private readonly Dictionary<NotifyChannel, IChannelTransport> _transports = [];

    public ChannelTransportRegistry(IEnumerable<IChannelTransport> configured, IEnumerable<IOutboxRenderer> renderers, IOptions<OutboxOptions> outbox, TimeProvider time)
    {
        foreach (var transport in configured)
        {
            if (!_transports.TryAdd(transport.Channel, transport))
            {
                throw new InvalidOperationException($"two transports are registered for the {transport.Channel.Name()} channel");
            }
        }

        var renderersByChannel = renderers.ToDictionary(r => r.Channel);
        foreach (var channel in NotifyChannels.All.Where(c => !_transports.ContainsKey(c)))
        {
            var renderer = renderersByChannel.GetValueOrDefault(channel)
                ?? throw new InvalidOperationException($"the {channel.Name()} channel has neither a configured provider nor an outbox renderer");
            _transports[channel] = new OutboxTransport(renderer, outbox.Value.Path, time);
        }
    }

    public IChannelTransport Get(NotifyChannel channel) => _transports[channel];

    public IReadOnlyDictionary<NotifyChannel, IChannelTransport> All => _transports;
}
