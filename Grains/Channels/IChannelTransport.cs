using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels;

/// <summary>
/// Sends one delivery over one provider. Registered by a channel's <c>Add…Channel</c> only when that
/// channel is configured; otherwise the channel writes to the outbox.
/// </summary>
/// <remarks>
/// A transport may throw: the channel's dispatcher turns any exception into a failure of every recipient through
/// <see cref="Classify"/>, the transport's own failure classifier. It returns per-recipient results only when the
/// provider answered per recipient (an SMTP RCPT refused, WeCom's <c>invaliduser</c>).
/// </remarks>
public interface IChannelTransport
{
    NotifyChannel Channel { get; }

    /// <summary>Short name for logs and records ("smtp", "outbox", "wecom-app", …).</summary>
    string Name { get; }

    /// <summary>How many sends may run at once (SMTP connections, HTTP requests in flight).</summary>
    int MaxConcurrency { get; }

    /// <summary>The provider's quota, enforced for the whole cluster through its credential's limiter grain; null for none.</summary>
    ChannelRateLimit? RateLimit { get; }

    /// <summary>
    /// The budget a delivery waits on, for a transport with several credentials (the robot a message names): each lane
    /// has its own queue and <see cref="RateLimitOf"/>. One lane, "", by default.
    /// </summary>
    string LaneOf(ChannelDelivery delivery) => "";

    /// <summary>The provider's quota for one lane; <see cref="RateLimit"/> by default.</summary>
    ChannelRateLimit? RateLimitOf(string lane) => RateLimit;

    /// <summary>How much of <see cref="RateLimit"/> the delivery uses: the provider requests it makes (one by default).</summary>
    int PermitsFor(ChannelDelivery delivery) => 1;

    Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a send that threw may succeed if tried again, and whether the provider may have delivered it anyway (an
    /// unknown outcome): this transport's failure classifier.
    /// </summary>
    SendFailure Classify(Exception exception);

    /// <summary>
    /// Whether an unknown outcome is retried (at-least-once, a possible duplicate) or ends Failed with reason
    /// <c>unknown_outcome</c> (at-most-once, for providers where a duplicate costs more than a miss). True by default.
    /// </summary>
    bool RetryUnknownOutcome => true;
}

/// <summary>
/// A token bucket: at most <see cref="Permits"/> sends per <see cref="Period"/>, bursting up to <see cref="Permits"/>,
/// shared by every channel that sends with the same provider <see cref="Credential"/> (an SMTP relay account, a WeCom
/// corp and agent, a robot key, a CMSI app): that is what the provider counts.
/// </summary>
public sealed record ChannelRateLimit(int Permits, TimeSpan Period, string Credential);

/// <summary>
/// Renders a delivery as the file the outbox writes: for e-mail the complete .eml, for the HTTP channels
/// the JSON body the provider would have been sent. Every channel registers one, configured or not.
/// </summary>
public interface IOutboxRenderer
{
    NotifyChannel Channel { get; }

    /// <summary>File extension without the dot ("eml", "json").</summary>
    string Extension { get; }

    Task RenderAsync(ChannelDelivery delivery, Stream destination, CancellationToken cancellationToken);
}
