using MimeKit;

namespace Notify.IntegrationTests.Infrastructure.Smtp;

/// <summary>How a <see cref="SmtpTestServer"/> secures its connections.</summary>
public enum SmtpTestServerTls
{
    /// <summary>Plain text; STARTTLS is not offered.</summary>
    None = 0,
    /// <summary>Plain connect; STARTTLS offered with a self-signed certificate.</summary>
    StartTls = 1,
    /// <summary>TLS from the first byte (SMTPS) with a self-signed certificate.</summary>
    Implicit = 2,
}

/// <summary>Settings fixed for the life of a <see cref="SmtpTestServer"/>.</summary>
public sealed record SmtpTestServerOptions
{
    public SmtpTestServerTls Tls { get; init; } = SmtpTestServerTls.None;

    /// <summary>When set, AUTH PLAIN and LOGIN are offered and required before MAIL FROM; other credentials get 535.</summary>
    public SmtpTestCredentials? Credentials { get; init; }
}

public sealed record SmtpTestCredentials(string User, string Password);

/// <summary>A server reply: a three-digit code and its text.</summary>
public sealed record SmtpReply(int Code, string Text)
{
    public override string ToString() => $"{Code} {Text}";
}

/// <summary>One message the server refused at the end of DATA, and the reply it gave.</summary>
public sealed record RefusedSmtpMessage(MimeMessage Message, SmtpReply Reply);

/// <summary>One message the server accepted (250 after DATA).</summary>
/// <param name="ConnectionId">Which connection delivered it (1, 2, … in order of connecting).</param>
/// <param name="EnvelopeFrom">The MAIL FROM address.</param>
/// <param name="EnvelopeRecipients">The accepted RCPT TO addresses, in order.</param>
/// <param name="Message">The message as MimeKit parses it.</param>
/// <param name="RawData">The message bytes after dot-unstuffing, exactly as the client formatted them.</param>
/// <param name="Secure">Whether the connection was TLS (implicit or after STARTTLS).</param>
/// <param name="AuthenticatedUser">The user of a successful AUTH on that connection, if any.</param>
/// <param name="ReplyDropped">A fault closed the connection instead of sending the <c>250</c>: the client never heard it was accepted.</param>
public sealed record ReceivedSmtpMessage(
    long ConnectionId,
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeRecipients,
    MimeMessage Message,
    byte[] RawData,
    bool Secure,
    string? AuthenticatedUser,
    bool ReplyDropped = false);
