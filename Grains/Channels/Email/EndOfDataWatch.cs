using MailKit;

namespace Notify.Grains.Channels.Email;

/// <summary>
/// Watches what an SMTP client wrote to the server for the end of DATA (<c>CRLF . CRLF</c>), as MailKit's protocol
/// logger: it is told each write after it went to the connection, in plain text (inside TLS), the only place MailKit
/// shows where a send stands. Dot-stuffing keeps that sequence out of the message itself, and commands never contain
/// it, so once it is seen the server has the whole message. Needs DATA: CHUNKING (BDAT) must be off on the client.
/// </summary>
internal sealed class EndOfDataWatch : IProtocolLogger
{
    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();

    // How much of the terminator the bytes written so far end with: it may be split across writes.
    private int _matched;

    /// <summary>The end of DATA of the current message was written to the connection.</summary>
    public bool EndOfDataSent { get; private set; }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>A new message starts: nothing of it was written yet.</summary>
    public void Reset()
    {
        EndOfDataSent = false;
        _matched = 0;
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        if (EndOfDataSent || count == 0)
        {
            return;
        }

        foreach (var b in buffer.AsSpan(offset, count))
        {
            // After a mismatch the longest terminator prefix the bytes can end with is a lone CR.
            _matched = b == EndOfData[_matched] ? _matched + 1 : b == '\r' ? 1 : 0;
            if (_matched == EndOfData.Length)
            {
                EndOfDataSent = true;
                return;
            }
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
    }

    public void LogConnect(Uri uri)
    {
    }

    public void Dispose()
    {
    }
}
