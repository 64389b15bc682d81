using System.Net.Sockets;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels;

/// <summary>
/// The one retry policy every channel's failure classifier applies (Alertmanager's Retrier): HTTP 408, 429 and 5xx
/// are transient and other statuses permanent; SMTP 4xx transient and 5xx permanent; connection errors, I/O errors and
/// timeouts transient. An exception nobody recognises is transient too: the retry budget bounds it and the record keeps
/// the error, so it is never a silent drop.
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
