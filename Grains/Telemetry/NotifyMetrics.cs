using System.Diagnostics;
using System.Diagnostics.Metrics;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Telemetry;

/// <summary>
/// The <c>Notify</c> meter: one counter per receiver outcome, labelled by channel and reason, plus latency
/// histograms in seconds and per-channel gauges read from the channel senders' state. Every suppression is counted
/// with its reason (Alertmanager's rule).
/// </summary>
public sealed class NotifyMetrics
{
    public const string MeterName = "Notify";
    public const string ActivitySourceName = "Notify";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>
    /// 1 ms to 60 s: the OpenTelemetry default buckets (0, 5, 10, … in the unit) would put every millisecond send in
    /// the first bucket and make every quantile a guess.
    /// </summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static readonly InstrumentAdvice<double> DurationAdvice = new() { HistogramBucketBoundaries = DurationBuckets };

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _blocked;
    private readonly Counter<long> _unknownOutcomes;
    private readonly Counter<long> _purged;
    private readonly Histogram<double> _acceptDuration;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Histogram<double> _providerSendDuration;
    private readonly Histogram<double> _rateLimitWait;

    public NotifyMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _accepted = _meter.CreateCounter<long>("notify.messages.accepted", "{message}", "Messages accepted (durably recorded).");
        _sent = _meter.CreateCounter<long>("notify.receivers.sent", "{receiver}", "Receivers a message was delivered to.");
        _failed = _meter.CreateCounter<long>("notify.receivers.failed", "{receiver}", "Receivers that ended Failed, by reason and failure class.");
        _retried = _meter.CreateCounter<long>("notify.receivers.retried", "{receiver}", "Receivers scheduled for another attempt, by reason and failure class.");
        _suppressed = _meter.CreateCounter<long>("notify.receivers.suppressed", "{receiver}", "Receivers skipped by the frequency limit.");
        _blocked = _meter.CreateCounter<long>("notify.receivers.blocked", "{receiver}", "Receivers skipped by the blacklist.");
        _unknownOutcomes = _meter.CreateCounter<long>(
            "notify.deliveries.unknown_outcome", "{delivery}", "Deliveries sent whose answer never came (possible duplicates), by channel and provider.");
        _purged = _meter.CreateCounter<long>("notify.retention.purged", "{row}", "Rows the retention job deleted, by kind (records, idempotency_keys, frequency_limits, outbox_files).");
        _acceptDuration = Duration("notify.accept.duration", "Time to validate and durably record a message.");
        _deliveryLatency = Duration("notify.delivery.latency", "Acceptance to delivery, per delivered receiver.");
        _providerSendDuration = Duration(
            "notify.provider.send.duration", "One send attempt to the provider (one transport call), by channel, provider and outcome.");
        _rateLimitWait = Duration("notify.rate_limit.wait.duration", "Time a channel sender waited for the provider's rate-limit permits, per send.");
    }

    /// <summary>
    /// Publishes each channel sender's queue depth and sends in flight as gauges read at collection time, so they
    /// are this silo's state as it is, not a sum of increments that drifts when messages move between silos.
    /// </summary>
    public void ObserveChannels(Func<IEnumerable<Measurement<int>>> queueDepth, Func<IEnumerable<Measurement<int>>> inFlight)
    {
        _meter.CreateObservableGauge("notify.channel.queue.depth", queueDepth, "{delivery}", "Deliveries waiting in this silo's channel sender, by channel.");
        _meter.CreateObservableGauge("notify.channel.sends.in_flight", inFlight, "{delivery}", "Sends on the wire from this silo's channel sender, by channel.");
    }

    /// <summary>The instruments one channel sender records on each send, with their tags built once.</summary>
    public ChannelSendMetrics ForChannel(NotifyChannel channel, string provider) =>
        new(channel.Name(), provider, _providerSendDuration, _rateLimitWait, _unknownOutcomes);

    public void Accepted(NotifyChannel channel, TimeSpan duration)
    {
        var tag = ChannelTag(channel);
        _accepted.Add(1, tag);
        _acceptDuration.Record(duration.TotalSeconds, tag);
    }

    /// <summary>Counts what a retention pass deleted; a pass that deleted nothing still shows the kind at 0.</summary>
    public void Purged(string kind, int count) => _purged.Add(count, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts a receiver's outcome once it is final or scheduled for retry.</summary>
    public void ReceiverOutcome(NotifyChannel channel, ReceiverOutcome outcome, DateTimeOffset acceptedAt)
    {
        var channelTag = ChannelTag(channel);
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
                _failed.Add(1, channelTag, reasonTag, FailureClassTag(outcome.Reason));
                break;
            case ReceiverStatus.Retrying:
                _retried.Add(1, channelTag, reasonTag, FailureClassTag(outcome.Reason));
                break;
            case ReceiverStatus.Suppressed:
                _suppressed.Add(1, channelTag, reasonTag);
                break;
            case ReceiverStatus.Blocked:
                _blocked.Add(1, channelTag, reasonTag);
                break;
        }
    }

    /// <summary>
    /// <c>error.type</c> (the OpenTelemetry attribute for a failure's class): whether trying again could help
    /// (transient), could not (permanent), or the provider may have delivered it (unknown).
    /// </summary>
    private static KeyValuePair<string, object?> FailureClassTag(OutcomeReason reason) => new("error.type", reason switch
    {
        OutcomeReason.TransientFailure or OutcomeReason.RetriesExhausted => SendOutcomes.Transient,
        OutcomeReason.UnknownOutcome => SendOutcomes.Unknown,
        _ => SendOutcomes.Permanent,
    });

    private static KeyValuePair<string, object?> ChannelTag(NotifyChannel channel) => new("channel", channel.Name());

    private Histogram<double> Duration(string name, string description) =>
        _meter.CreateHistogram(name, "s", description, tags: null, advice: DurationAdvice);
}
