using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Delivery;

/// <summary>
/// The one place that decides whether a failed send is worth retrying (Alertmanager's Retrier):
/// connection errors, timeouts, SMTP 4xx and HTTP 408/429/5xx are transient; SMTP 5xx and other HTTP 4xx
/// are permanent. Unknown exceptions are transient: the retry budget bounds them and the record keeps the error.
/// </summary>
public static class SendFailureClassifier
{
    public static SendFailure Classify(Exception exception) => exception switch
    {
        ProviderHttpException http => ClassifyHttp(http.StatusCode, http.Message, http.RetryAfter),
        ProviderErrorException provider => provider.Transient
            ? SendFailure.Transient(provider.Message, provider.RetryAfter)
            : SendFailure.Permanent(provider.Message),
        SmtpCommandException smtp => ClassifySmtp((int)smtp.StatusCode, Describe(smtp)),
        AuthenticationException auth => SendFailure.Permanent($"SMTP authentication failed: {auth.Message}"),
        SslHandshakeException tls => SendFailure.Permanent($"TLS handshake failed: {tls.Message}"),
        SmtpProtocolException protocol => SendFailure.Transient($"SMTP protocol error: {protocol.Message}"),
        ServiceNotConnectedException or ServiceNotAuthenticatedException => SendFailure.Transient(exception.Message),
        HttpRequestException { StatusCode: { } status } http => ClassifyHttp((int)status, http.Message, null),
        HttpRequestException http => SendFailure.Transient($"connection failed: {http.Message}"),
        SocketException socket => SendFailure.Transient($"connection failed: {socket.Message}"),
        IOException io => SendFailure.Transient($"I/O error: {io.Message}"),
        TimeoutException or OperationCanceledException => SendFailure.Transient("timed out"),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Classify(aggregate.InnerExceptions[0]),
        _ => SendFailure.Transient($"{exception.GetType().Name}: {exception.Message}"),
    };

    public static SendFailure ClassifyHttp(int statusCode, string error, TimeSpan? retryAfter) => statusCode switch
    {
        408 or 429 or >= 500 => SendFailure.Transient(error, retryAfter),
        _ => SendFailure.Permanent(error),
    };

    public static SendFailure ClassifySmtp(int statusCode, string error) => statusCode switch
    {
        >= 400 and < 500 => SendFailure.Transient(error),
        _ => SendFailure.Permanent(error),
    };

    private static string Describe(SmtpCommandException smtp) =>
        smtp.Mailbox is null
            ? $"SMTP {(int)smtp.StatusCode}: {smtp.Message}"
            : $"SMTP {(int)smtp.StatusCode} for {smtp.Mailbox.Address}: {smtp.Message}";
}
