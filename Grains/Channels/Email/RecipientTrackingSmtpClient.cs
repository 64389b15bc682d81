using MailKit.Net.Smtp;
using MimeKit;

namespace Notify.Grains.Channels.Email;

/// <summary>An RCPT TO the server refused: the address and the server's reply.</summary>
internal sealed record SmtpRefusal(string Address, int StatusCode, string Response);

/// <summary>
/// RecipientTrackingSmtpClient is MailKit's client with per-recipient outcomes: a refused RCPT TO is recorded
/// instead of aborting the message, so the accepted recipients still get it. When every recipient is refused
/// MailKit itself throws (<see cref="SmtpErrorCode.MessageNotAccepted"/>) and resets the session.
/// It also knows whether the end of the current message's DATA went out (<see cref="EndOfDataSent"/>), which
/// decides whether a lost connection is a clean failure or an unknown outcome.
/// Holds the state of one message at a time; the pool never shares a client between concurrent sends.
/// </summary>
internal sealed class RecipientTrackingSmtpClient : SmtpClient
{
    private readonly List<SmtpRefusal> _refused = [];
    private readonly EndOfDataWatch _endOfData;
    private bool _mailFromAccepted;

    public RecipientTrackingSmtpClient()
        : this(new EndOfDataWatch())
    {
    }

    private RecipientTrackingSmtpClient(EndOfDataWatch endOfData)
        : base(endOfData)
    {
        _endOfData = endOfData;
    }

    public IReadOnlyList<SmtpRefusal> Refused => _refused;

    /// <summary>
    /// Whether the server answered MAIL FROM for the current message. Until it has, nothing of the message can have
    /// been accepted, so a connection error is safe to retry on a fresh connection. A 421 (the server is closing the
    /// connection, as on an idle timeout) does not count as an answer.
    /// </summary>
    public bool MailFromAnswered { get; private set; }

    /// <summary>The whole message, up to the final <c>.</c> of DATA, was written: the server may have queued it.</summary>
    public bool EndOfDataSent => _endOfData.EndOfDataSent;

    /// <summary>
    /// Leaves the message end to DATA's terminator, which <see cref="EndOfDataSent"/> watches for: BDAT (CHUNKING, and
    /// BINARYMIME, which needs it) has none. Called after connecting, when the server's capabilities are known.
    /// </summary>
    public void UseDataCommand() => Capabilities &= ~(SmtpCapabilities.Chunking | SmtpCapabilities.BinaryMime);

    public void BeginMessage()
    {
        _endOfData.Reset();
        _refused.Clear();
        _mailFromAccepted = false;
        MailFromAnswered = false;
    }

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        _mailFromAccepted = true;
        MailFromAnswered = true;
    }

    protected override void OnSenderNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        MailFromAnswered = response.StatusCode != SmtpStatusCode.ServiceNotAvailable;
        base.OnSenderNotAccepted(message, mailbox, response);
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        // With PIPELINING the RCPTs after a refused MAIL FROM are refused too (503); only MAIL FROM's reason counts.
        if (_mailFromAccepted)
        {
            _refused.Add(new SmtpRefusal(mailbox.Address, (int)response.StatusCode, response.Response));
        }
    }
}
