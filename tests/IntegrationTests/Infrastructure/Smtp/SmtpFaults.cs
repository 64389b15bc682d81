using System.Collections.Concurrent;

namespace Notify.IntegrationTests.Infrastructure.Smtp;

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
