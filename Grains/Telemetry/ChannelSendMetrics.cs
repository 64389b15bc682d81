using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Notify.Grains.Telemetry;

/// <summary>The outcome of one send attempt, as the provider latency histogram labels it.</summary>
public enum SendOutcome
{
    /// <summary>Every recipient was accepted.</summary>
    Sent = 0,
    /// <summary>Some recipient failed and may succeed if tried again.</summary>
    Transient = 1,
    /// <summary>Some recipient was refused for good, none failed transiently.</summary>
    Permanent = 2,
    /// <summary>The provider had the message and its answer never came.</summary>
    Unknown = 3,
}

/// <summary>The <c>outcome</c> and <c>error.type</c> label values.</summary>
public static class SendOutcomes
{
    public const string Sent = "sent";
    public const string Transient = "transient";
    public const string Permanent = "permanent";
    public const string Unknown = "unknown";
}

/// <summary>
/// One channel sender's per-send instruments. The tag lists are built once per sender, so recording a send
/// allocates nothing (a <see cref="TagList"/> of up to eight tags is held inline and passed by reference).
/// </summary>
public sealed class ChannelSendMetrics
{
    private readonly Histogram<double> _sendDuration;
    private readonly Histogram<double> _rateLimitWait;
    private readonly Counter<long> _unknownOutcomes;
    private readonly TagList _channelAndProvider;
    private readonly TagList[] _byOutcome;

    internal ChannelSendMetrics(string channel, string provider, Histogram<double> sendDuration, Histogram<double> rateLimitWait, Counter<long> unknownOutcomes)
    {
        _sendDuration = sendDuration;
        _rateLimitWait = rateLimitWait;
        _unknownOutcomes = unknownOutcomes;
        _channelAndProvider = new TagList { { "channel", channel }, { "provider", provider } };
        _byOutcome = [WithOutcome(SendOutcomes.Sent), WithOutcome(SendOutcomes.Transient), WithOutcome(SendOutcomes.Permanent), WithOutcome(SendOutcomes.Unknown)];

        TagList WithOutcome(string outcome) => new() { { "channel", channel }, { "provider", provider }, { "outcome", outcome } };
    }

    public void SendFinished(TimeSpan duration, SendOutcome outcome) => _sendDuration.Record(duration.TotalSeconds, in _byOutcome[(int)outcome]);

    public void RateLimitWaited(TimeSpan wait) => _rateLimitWait.Record(wait.TotalSeconds, in _channelAndProvider);

    public void UnknownOutcome() => _unknownOutcomes.Add(1, in _channelAndProvider);
}
