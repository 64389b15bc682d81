using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels.Email;

/// <summary>
/// What a MailKit failure means for a retry: the server's reply code decides (<see cref="FailureRules.ForSmtpStatus"/>);
/// a refused AUTH or TLS handshake is permanent (a retry would be refused the same way); a dropped connection or a
/// session that is not connected is transient before the end of DATA was sent, and an unknown outcome after it
/// (<see cref="AnswerLostException"/>: the server may have queued the message before the connection dropped).
/// </summary>
public static class SmtpFailureClassifier
{
    public static SendFailure Classify(Exception exception) => exception switch
    {
        AnswerLostException lost => FailureRules.ForLostAnswer(lost, Classify, failure => failure is SmtpCommandException),
        SmtpCommandException smtp => FailureRules.ForSmtpStatus((int)smtp.StatusCode, Describe(smtp)),
        PlaintextAuthRefusedException refused => SendFailure.Permanent(refused.Message),
        AuthenticationException auth => SendFailure.Permanent($"SMTP authentication failed: {auth.Message}"),
        SslHandshakeException tls => SendFailure.Permanent($"TLS handshake failed: {tls.Message}"),
        SmtpProtocolException protocol => SendFailure.Transient($"SMTP protocol error: {protocol.Message}"),
        ServiceNotConnectedException or ServiceNotAuthenticatedException => SendFailure.Transient(exception.Message),
        _ => FailureRules.ForException(exception, Classify),
    };

    private static string Describe(SmtpCommandException smtp) =>
        smtp.Mailbox is null
            ? $"SMTP {(int)smtp.StatusCode}: {smtp.Message}"
            : $"SMTP {(int)smtp.StatusCode} for {smtp.Mailbox.Address}: {smtp.Message}";
}
