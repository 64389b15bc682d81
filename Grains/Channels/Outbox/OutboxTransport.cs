using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels.Outbox;

/// <summary>
/// The transport of a channel with no provider configured: one file per delivery under
/// <c>{Notify:Outbox:Path}/{channel}/</c>, written to a temporary name and renamed, so a reader never sees half a file.
/// </summary>
public sealed class OutboxTransport(IOutboxRenderer renderer, string rootPath, TimeProvider time) : IChannelTransport
{
    public NotifyChannel Channel => renderer.Channel;

    public string Name => "outbox";

    public int MaxConcurrency => 4;

    public ChannelRateLimit? RateLimit => null;

    public SendFailure Classify(Exception exception) => FailureRules.ForException(exception, Classify);

    public string Folder { get; } = Path.GetFullPath(Path.Combine(rootPath, renderer.Channel.Name()));

    public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var name = $"{time.GetUtcNow():yyyyMMdd'T'HHmmssfff}_{delivery.MessageId}_a{delivery.Attempt}.{renderer.Extension}";
        var target = Path.Combine(Folder, name);
        var temporary = target + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 16 * 1024, useAsync: true))
        {
            await renderer.RenderAsync(delivery, file, cancellationToken);
        }

        File.Move(temporary, target, overwrite: true);
        return DeliveryResult.AllDelivered(delivery.Recipients, name);
    }
}
