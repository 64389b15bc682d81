using System.Net.Sockets;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels;

/// <summary>
/// The one retry policy every channel's failure classifier applies (Alertmanager's Retrier): HTTP 408, 429 and 5xx
/// are transient and other statuses permanent; SMTP 4xx transient and 5xx permanent; connection errors, I/O errors and
/// timeouts transient. An exception nobody recognises is transient too: the retry budget bounds it and the record keeps
/// the error, so it is never a silent drop. Where the send failed decides between a clean failure and an unknown
/// outcome: a connection lost after the provider had the whole message (<see cref="AnswerLostException"/>) may have
/// delivered it.
/// </summary>
public static class FailureRules
{
    public static SendFailure ForHttpStatus(int statusCode, string error, TimeSpan? retryAfter) => statusCode switch
    {
        408 or 429 or >= 500 => SendFailure.Transient(error, retryAfter),
        _ => SendFailure.Permanent(error),
    };

    public static SendFailure ForSmtpStatus(int statusCode, string error) => statusCode switch
    {
        >= 400 and < 500 => SendFailure.Transient(error),
        _ => SendFailure.Permanent(error),
    };

    /// <summary>
    /// A failure after the provider had the whole message: an unknown outcome, described by <paramref name="failure"/>
    /// (the classification of what broke), unless what arrived was an answer after all (<paramref name="isAnswer"/>: an
    /// SMTP reply code, an HTTP status), which is classified as that answer.
    /// </summary>
    public static SendFailure ForLostAnswer(AnswerLostException lost, Func<Exception, SendFailure> classify, Func<Exception, bool> isAnswer)
    {
        var failure = classify(lost.Failure);
        return isAnswer(lost.Failure) ? failure : SendFailure.Unknown($"outcome unknown, sent but no answer: {failure.Error}");
    }

    /// <summary>
    /// A channel that does not retry unknown outcomes (<c>RetryUnknownOutcome</c> off, where a duplicate costs more than
    /// a miss) ends them at once; every other failure is as classified.
    /// </summary>
    public static SendFailure ApplyUnknownOutcomePolicy(SendFailure failure, bool retryUnknownOutcome) =>
        failure.OutcomeUnknown && !retryUnknownOutcome && failure.Kind == FailureKind.Transient
            ? failure with { Kind = FailureKind.Permanent, Error = $"{failure.Error}; not retried (RetryUnknownOutcome is off)" }
            : failure;

    /// <summary>What every transport shares: sockets, I/O, timeouts, cancellation, and the unknown.</summary>
    public static SendFailure ForException(Exception exception, Func<Exception, SendFailure> classify) => exception switch
    {
        SocketException socket => SendFailure.Transient($"connection failed: {socket.Message}"),
        IOException io => SendFailure.Transient($"I/O error: {io.Message}"),
        TimeoutException or OperationCanceledException => SendFailure.Transient("timed out"),
        AggregateException { InnerExceptions.Count: 1 } aggregate => classify(aggregate.InnerExceptions[0]),
        _ => SendFailure.Transient($"{exception.GetType().Name}: {exception.Message}"),
    };
}
