using System.ComponentModel.DataAnnotations;

namespace Notify.Grains.Channels.Email;

/// <summary>
/// The SMTP server e-mail is sent through (<c>Channels:Email</c>). With no <see cref="Host"/> the channel is not
/// configured and e-mail goes to the outbox as .eml files.
/// </summary>
public sealed class EmailChannelOptions
{
    public const string SectionName = "Channels:Email";

    /// <summary>SMTP server host name or IP address. Unset: the channel writes to the outbox.</summary>
    public string? Host { get; set; }

    /// <summary>SMTP server port. The default value is 25.</summary>
    [Range(1, 65535, ErrorMessage = "Channels:Email:Port must be between {1} and {2}.")]
    public int Port { get; set; } = 25;

    /// <summary>
    /// Transport security. When unset it follows the port: 465 ⇒ <see cref="SmtpSecurity.SslOnConnect"/>,
    /// 587 ⇒ <see cref="SmtpSecurity.StartTls"/>, any other port (a relay on port 25) ⇒
    /// <see cref="SmtpSecurity.StartTlsWhenAvailable"/>. <see cref="SmtpSecurity.None"/> turns STARTTLS off.
    /// Read <see cref="EffectiveSecurity"/> for the resolved value.
    /// </summary>
    public SmtpSecurity? Security { get; set; }

    /// <summary>User name for SMTP AUTH; authentication happens only when it is set.</summary>
    public string? User { get; set; }

    /// <summary>Password for SMTP AUTH, with <see cref="User"/>; never logged.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// Envelope sender and From header: <c>notify@example.com</c> or <c>Notify &lt;notify@example.com&gt;</c>.
    /// Required when <see cref="Host"/> is set. A message's non-empty <c>Sender</c> replaces the display name only.
    /// </summary>
    public string? From { get; set; }

    /// <summary>SMTP connections kept open and reused; also how many messages are sent at once. The default value is 4.</summary>
    [Range(1, 64, ErrorMessage = "Channels:Email:MaxConnections must be between {1} and {2}.")]
    public int MaxConnections { get; set; } = 4;

    /// <summary>Limit on connecting, the TLS handshake and AUTH together. The default value is 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "Channels:Email:ConnectTimeout must be between {1} and {2}.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit on each read or write of an SMTP command (MailKit's <c>Timeout</c>). The default value is 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "Channels:Email:CommandTimeout must be between {1} and {2}.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The provider's sending quota, enforced cluster-wide for this relay account; unset for none.</summary>
    public EmailRateLimitOptions? RateLimit { get; set; }

    /// <summary>
    /// Accepts any server certificate (self-signed, wrong name, expired). For test and development servers only:
    /// it removes the protection TLS gives against a man in the middle. The default value is false.
    /// </summary>
    public bool AllowInvalidCertificate { get; set; }

    /// <summary>
    /// Allows AUTH on a connection that is not encrypted (<see cref="SmtpSecurity.None"/>, or a server that offers no
    /// STARTTLS), which sends <see cref="User"/> and <see cref="Password"/> readable to anyone on the path. The
    /// default value is false: such a send fails, naming this key, and the password is never sent.
    /// </summary>
    public bool AllowPlaintextAuth { get; set; }

    /// <summary>
    /// Whether a message whose outcome is unknown (the connection dropped after the end of DATA, before the server's
    /// reply) is sent again, which may deliver it twice (the same Message-Id lets mail systems drop the copy), or ends
    /// Failed with reason <c>unknown_outcome</c>. The default value is true: at-least-once.
    /// </summary>
    public bool RetryUnknownOutcome { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public SmtpSecurity EffectiveSecurity => Security ?? Port switch
    {
        465 => SmtpSecurity.SslOnConnect,
        587 => SmtpSecurity.StartTls,
        _ => SmtpSecurity.StartTlsWhenAvailable,
    };

    public bool HasCredentials => !string.IsNullOrWhiteSpace(User);

    /// <summary>The quota, counted per relay account (host, port and user): what the relay counts.</summary>
    public ChannelRateLimit? ToChannelRateLimit() =>
        RateLimit is { } limit ? new ChannelRateLimit(limit.Permits, limit.Period, $"smtp:{Host?.Trim().ToLowerInvariant()}:{Port}:{User}") : null;
}

/// <summary>At most <see cref="Permits"/> messages per <see cref="Period"/> (<c>Channels:Email:RateLimit</c>).</summary>
public sealed class EmailRateLimitOptions
{
    public int Permits { get; set; }

    public TimeSpan Period { get; set; }
}

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text; STARTTLS is not attempted even when offered (the explicit way to turn it off).</summary>
    None = 0,
    /// <summary>Plain connect, then STARTTLS, which the server must offer.</summary>
    StartTls = 1,
    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect = 2,
    /// <summary>Plain connect, then STARTTLS when the server offers it; plain text otherwise (AUTH then refused, see <see cref="EmailChannelOptions.AllowPlaintextAuth"/>).</summary>
    StartTlsWhenAvailable = 3,
}
