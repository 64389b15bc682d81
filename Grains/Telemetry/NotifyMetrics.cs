using System.Diagnostics;
using System.Diagnostics.Metrics;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Telemetry;

/// <summary>
/// The <c>Notify</c> meter: one counter per receiver outcome, labelled by channel and reason, plus latency
/// histograms and in-flight gauges. Every suppression is counted with its reason (Alertmanager's rule).
/// </summary>
public sealed class NotifyMetrics
{
    public const string MeterName = "Notify";
    public const string ActivitySourceName = "Notify";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _blocked;
    private readonly Counter<long> _unknownOutcomes;
    private readonly Histogram<double> _acceptDuration;
    private readonly Histogram<double> _deliveryLatency;
    private readonly UpDownCounter<long> _pending;
    private readonly UpDownCounter<long> _retrying;

    public NotifyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("notify.messages.accepted", "{message}", "Messages accepted (durably recorded).");
        _sent = meter.CreateCounter<long>("notify.receivers.sent", "{receiver}", "Receivers a message was delivered to.");
        _failed = meter.CreateCounter<long>("notify.receivers.failed", "{receiver}", "Receivers that ended Failed, by reason.");
        _retried = meter.CreateCounter<long>("notify.receivers.retried", "{receiver}", "Receivers scheduled for another attempt.");
        _suppressed = meter.CreateCounter<long>("notify.receivers.suppressed", "{receiver}", "Receivers skipped by the frequency limit.");
        _blocked = meter.CreateCounter<long>("notify.receivers.blocked", "{receiver}", "Receivers skipped by the blacklist.");
        _unknownOutcomes = meter.CreateCounter<long>(
            "notify.deliveries.unknown_outcome", "{delivery}", "Deliveries sent whose answer never came (possible duplicates), by channel and provider.");
        _acceptDuration = meter.CreateHistogram<double>("notify.accept.duration", "ms", "Time to validate and durably record a message.");
        _deliveryLatency = meter.CreateHistogram<double>("notify.delivery.latency", "s", "Acceptance to delivery, per delivered receiver.");
        _pending = meter.CreateUpDownCounter<long>("notify.messages.pending", "{message}", "Accepted messages on this silo not yet final.");
        _retrying = meter.CreateUpDownCounter<long>("notify.messages.retrying", "{message}", "Messages on this silo waiting for a retry.");
    }

    public void Accepted(NotifyChannel channel, TimeSpan duration)
    {
        var tag = ChannelTag(channel);
        _accepted.Add(1, tag);
        _acceptDuration.Record(duration.TotalMilliseconds, tag);
    }

    public void MessagePending(NotifyChannel channel, int delta) => _pending.Add(delta, ChannelTag(channel));

    public void MessageRetrying(NotifyChannel channel, int delta) => _retrying.Add(delta, ChannelTag(channel));

    /// <summary>Counts a delivery the provider had when its answer was lost; <paramref name="provider"/> is the transport's name.</summary>
    public void UnknownOutcome(NotifyChannel channel, string provider) =>
        _unknownOutcomes.Add(1, ChannelTag(channel), new KeyValuePair<string, object?>("provider", provider));

    /// <summary>Counts a receiver's outcome once it is final or scheduled for retry.</summary>
    public void ReceiverOutcome(NotifyChannel channel, ReceiverOutcome outcome, DateTimeOffset acceptedAt)
    {
        var channelTag = new KeyValuePair<string, object?>("channel", channel.Name());
        var reasonTag = new KeyValuePair<string, object?>("reason", outcome.Reason.WireName());
        switch (outcome.Status)
        {
            case ReceiverStatus.Sent:
                _sent.Add(1, channelTag);
                if (outcome.CompletedAt is { } completed)
                {
                    _deliveryLatency.Record((completed - acceptedAt).TotalSeconds, channelTag);
                }

                break;
            case ReceiverStatus.Failed:
                _failed.Add(1, channelTag, reasonTag);
                break;
            case ReceiverStatus.Retrying:
                _retried.Add(1, channelTag, reasonTag);
                break;
            case ReceiverStatus.Suppressed:
                _suppressed.Add(1, channelTag, reasonTag);
                break;
            case ReceiverStatus.Blocked:
                _blocked.Add(1, channelTag, reasonTag);
                break;
        }
    }

    private static KeyValuePair<string, object?> ChannelTag(NotifyChannel channel) => new("channel", channel.Name());
}
