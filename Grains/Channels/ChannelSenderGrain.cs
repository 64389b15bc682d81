using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Delivery;
using Orleans.Concurrency;

namespace Notify.Grains.Channels;

/// <summary>
/// The one sender of a channel in the cluster: being single, it holds the provider's rate limit for every silo, and
/// its dispatcher keeps the transport's connections busy in priority order. Reentrant: deliveries wait in the
/// dispatcher's queue, not in the grain's.
/// </summary>
[Reentrant]
public sealed class ChannelSenderGrain(
    ChannelTransportRegistry transports,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<ChannelSenderGrain> logger) : Grain, IChannelSenderGrain
{
    private PriorityDispatcher? _dispatcher;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var channel = NotifyChannels.All.FirstOrDefault(c => GrainKeys.ChannelSender(c) == key);
        if (GrainKeys.ChannelSender(channel) != key)
        {
            throw new InvalidOperationException($"'{key}' is not a channel sender key");
        }

        _dispatcher = new PriorityDispatcher(transports.Get(channel), options.Value.MaxQueueWait, options.Value.SendTimeout, time, logger);
        return Task.CompletedTask;
    }

    public Task<DeliveryResult> DeliverAsync(ChannelDelivery delivery) => _dispatcher!.EnqueueAsync(delivery);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dispatcher is { } dispatcher)
        {
            await dispatcher.DisposeAsync();
        }
    }
}
