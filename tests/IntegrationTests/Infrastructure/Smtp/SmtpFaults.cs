using System.Collections.Concurrent;

namespace Notify.IntegrationTests.Infrastructure.Smtp;

/// <summary>What <see cref="SmtpFaults.InjectRandomly"/> may do to one message transaction.</summary>
public enum SmtpRandomFault
{
    None = 0,
    /// <summary>Close the connection at the DATA command: nothing of the message was sent.</summary>
    DropAtDataCommand = 1,
    /// <summary>Answer the end of DATA with <see cref="SmtpFaults.RandomTransientReply"/>.</summary>
    TransientRefusal = 2,
    /// <summary>Answer the end of DATA with <see cref="SmtpFaults.RandomPermanentReply"/>.</summary>
    PermanentRefusal = 3,
    /// <summary>Accept (record) the message and close the connection instead of answering: the reply is lost.</summary>
    DropAfterAccepting = 4,
}

/// <summary>
/// Faults a <see cref="SmtpTestServer"/> injects, changeable at any time from any thread; a change applies to the
/// next command every connection receives. Counted faults (<c>times</c>) are consumed by one message each.
/// </summary>
public sealed class SmtpFaults
{
    private readonly ConcurrentDictionary<string, SmtpReply> _refusedRecipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private CountedFault<SmtpReply>? _mailFromFailure;
    private CountedFault<SmtpReply>? _dataFailure;
    private CountedFault<bool>? _dropDuringData;
    private CountedFault<bool>? _dropAfterData;
    private CountedFault<bool>? _dropAtDataCommand;
    private long _replyDelayTicks;
    private Random? _random;
    private double _randomRate;

    /// <summary>Delay before every reply, greeting included (a slow server). Zero for none.</summary>
    public TimeSpan ReplyDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _replyDelayTicks));
        set => Interlocked.Exchange(ref _replyDelayTicks, value.Ticks);
    }

    /// <summary>Answers RCPT TO for <paramref name="address"/> with <paramref name="code"/> (e.g. 550, 451) until cleared.</summary>
    public void RefuseRecipient(string address, int code, string text = "mailbox unavailable") =>
        _refusedRecipients[address] = new SmtpReply(code, text);

    /// <summary>Answers the next <paramref name="times"/> MAIL FROM commands with <paramref name="code"/>.</summary>
    public void FailMailFrom(int code, string text = "sender rejected", int times = 1)
    {
        lock (_gate)
        {
            _mailFromFailure = new CountedFault<SmtpReply>(new SmtpReply(code, text), times);
        }
    }

    /// <summary>Answers the end of DATA (after the whole message arrived) with <paramref name="code"/> for the next <paramref name="times"/> messages.</summary>
    public void FailData(int code, string text = "message rejected", int times = 1)
    {
        lock (_gate)
        {
            _dataFailure = new CountedFault<SmtpReply>(new SmtpReply(code, text), times);
        }
    }

    /// <summary>
    /// Closes the connection without a reply after the first line of message data, for the next <paramref name="times"/>
    /// messages. A client that wrote a small message in one go may have sent its end of DATA already.
    /// </summary>
    public void DropConnectionDuringData(int times = 1)
    {
        lock (_gate)
        {
            _dropDuringData = new CountedFault<bool>(true, times);
        }
    }

    /// <summary>
    /// Closes the connection without a reply when the next <paramref name="times"/> DATA commands arrive: before the
    /// client sends any of the message, so it cannot have been accepted.
    /// </summary>
    public void DropConnectionAtDataCommand(int times = 1)
    {
        lock (_gate)
        {
            _dropAtDataCommand = new CountedFault<bool>(true, times);
        }
    }

    /// <summary>
    /// Accepts the next <paramref name="times"/> messages (they are recorded, as a real server queues them) and closes
    /// the connection instead of sending the <c>250</c>: the client's answer is lost.
    /// </summary>
    public void DropConnectionAfterData(int times = 1)
    {
        lock (_gate)
        {
            _dropAfterData = new CountedFault<bool>(true, times);
        }
    }

    public static SmtpReply RandomTransientReply { get; } = new(451, "4.3.0 injected transient failure");

    public static SmtpReply RandomPermanentReply { get; } = new(554, "5.7.1 injected permanent refusal");

    /// <summary>
    /// From now on each message transaction meets one of the four <see cref="SmtpRandomFault"/>s with probability
    /// <paramref name="rate"/> (a quarter of it each), drawn from a generator seeded with <paramref name="seed"/>.
    /// Counted faults come first.
    /// </summary>
    public void InjectRandomly(double rate, int seed)
    {
        lock (_gate)
        {
            _random = new Random(seed);
            _randomRate = rate;
        }
    }

    /// <summary>Removes every fault and the reply delay.</summary>
    public void Clear()
    {
        _refusedRecipients.Clear();
        lock (_gate)
        {
            _mailFromFailure = null;
            _dataFailure = null;
            _dropDuringData = null;
            _dropAfterData = null;
            _dropAtDataCommand = null;
            _random = null;
        }

        ReplyDelay = TimeSpan.Zero;
    }

    internal SmtpReply? RecipientRefusal(string address) =>
        _refusedRecipients.TryGetValue(address, out var reply) ? reply : null;

    internal SmtpReply? TakeMailFromFailure()
    {
        lock (_gate)
        {
            return Take(ref _mailFromFailure);
        }
    }

    internal SmtpReply? TakeDataFailure()
    {
        lock (_gate)
        {
            return Take(ref _dataFailure);
        }
    }

    internal bool TakeDropDuringData()
    {
        lock (_gate)
        {
            return Take(ref _dropDuringData);
        }
    }

    internal SmtpRandomFault DrawRandomFault()
    {
        lock (_gate)
        {
            if (_random is null)
            {
                return SmtpRandomFault.None;
            }

            var draw = _random.NextDouble();
            return draw >= _randomRate ? SmtpRandomFault.None : (SmtpRandomFault)(1 + (int)(draw / _randomRate * 4));
        }
    }

    internal bool TakeDropAtDataCommand()
    {
        lock (_gate)
        {
            return Take(ref _dropAtDataCommand);
        }
    }

    internal bool TakeDropAfterData()
    {
        lock (_gate)
        {
            return Take(ref _dropAfterData);
        }
    }

    private static T? Take<T>(ref CountedFault<T>? fault)
    {
        if (fault is null)
        {
            return default;
        }

        var value = fault.Value;
        fault = fault.Remaining > 1 ? fault with { Remaining = fault.Remaining - 1 } : null;
        return value;
    }

    private sealed record CountedFault<T>(T Value, int Remaining);
}
