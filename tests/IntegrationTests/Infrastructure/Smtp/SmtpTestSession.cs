using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MimeKit;

namespace Notify.IntegrationTests.Infrastructure.Smtp;

/// <summary>One SMTP connection of a <see cref="SmtpTestServer"/>: reads commands, applies the faults, records messages.</summary>
internal sealed class SmtpTestSession
{
    private static readonly byte[] LineEnding = "\r\n"u8.ToArray();

    private readonly SmtpTestServer _server;
    private readonly long _id;
    private readonly TcpClient _client;
    private readonly CancellationTokenSource _closing;
    private readonly List<string> _recipients = [];
    private Stream _stream;
    private SmtpLineReader _reader;
    private Task _run = Task.CompletedTask;
    private volatile bool _announceClose;
    private bool _greeted;
    private bool _secure;
    private string? _authenticatedUser;
    private string? _mailFrom;

    public SmtpTestSession(SmtpTestServer server, long id, TcpClient client, CancellationToken serverStopping)
    {
        _server = server;
        _id = id;
        _client = client;
        _client.NoDelay = true;
        _closing = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        _stream = client.GetStream();
        _reader = new SmtpLineReader(_stream);
    }

    public void Start(Action<Exception?> onClosed) => _run = Task.Run(() => RunAsync(onClosed));

    public async Task CloseAsync(bool announce)
    {
        _announceClose = announce;
        try
        {
            await _closing.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The connection had already ended.
        }

        await _run.ConfigureAwait(false);
    }

    private async Task RunAsync(Action<Exception?> onClosed)
    {
        Exception? error = null;
        try
        {
            await ServeAsync(_closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            if (_announceClose)
            {
                await AnnounceCloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            // The client went away or its TLS handshake failed: the end of this connection, not a server fault.
        }
        catch (Exception exception)
        {
            error = exception;
        }
        finally
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            _client.Dispose();
            _closing.Dispose();
            onClosed(error);
        }
    }

    private async Task AnnounceCloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _stream.WriteAsync(Encoding.ASCII.GetBytes("421 4.4.2 localhost idle timeout, closing connection\r\n"), timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
            // The client is already gone; closing is all that is left.
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        if (_server.Options.Tls == SmtpTestServerTls.Implicit)
        {
            await UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
        }

        await ReplyAsync(220, "localhost ESMTP SmtpTestServer ready", cancellationToken).ConfigureAwait(false);
        while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var command = Encoding.UTF8.GetString(line);
            var space = command.IndexOf(' ', StringComparison.Ordinal);
            var verb = (space < 0 ? command : command[..space]).ToUpperInvariant();
            var argument = space < 0 ? "" : command[(space + 1)..].Trim();
            if (!await HandleAsync(verb, argument, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Handles one command; false ends the connection.</summary>
    private async Task<bool> HandleAsync(string verb, string argument, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "EHLO":
                ResetTransaction();
                _greeted = true;
                await ReplyAsync(250, EhloLines(argument), cancellationToken).ConfigureAwait(false);
                return true;
            case "HELO":
                ResetTransaction();
                _greeted = true;
                await ReplyAsync(250, "localhost", cancellationToken).ConfigureAwait(false);
                return true;
            case "STARTTLS":
                return await StartTlsAsync(cancellationToken).ConfigureAwait(false);
            case "AUTH":
                await AuthenticateAsync(argument, cancellationToken).ConfigureAwait(false);
                return true;
            case "MAIL":
                await MailFromAsync(argument, cancellationToken).ConfigureAwait(false);
                return true;
            case "RCPT":
                await RecipientAsync(argument, cancellationToken).ConfigureAwait(false);
                return true;
            case "DATA":
                return await DataAsync(cancellationToken).ConfigureAwait(false);
            case "RSET":
                ResetTransaction();
                await ReplyAsync(250, "2.0.0 Ok", cancellationToken).ConfigureAwait(false);
                return true;
            case "NOOP":
                await ReplyAsync(250, "2.0.0 Ok", cancellationToken).ConfigureAwait(false);
                return true;
            case "QUIT":
                _server.CountQuit();
                await ReplyAsync(221, "2.0.0 Bye", cancellationToken).ConfigureAwait(false);
                return false;
            default:
                await ReplyAsync(502, "5.5.2 Error: command not recognized", cancellationToken).ConfigureAwait(false);
                return true;
        }
    }

    private string[] EhloLines(string clientName)
    {
        var lines = new List<string> { $"localhost greets {clientName}", "PIPELINING", "8BITMIME", "SMTPUTF8" };
        if (_server.Options.Credentials is not null)
        {
            lines.Add("AUTH PLAIN LOGIN");
        }

        if (_server.Options.Tls == SmtpTestServerTls.StartTls && !_secure)
        {
            lines.Add("STARTTLS");
        }

        return [.. lines];
    }

    private async Task<bool> StartTlsAsync(CancellationToken cancellationToken)
    {
        if (_server.Options.Tls != SmtpTestServerTls.StartTls || _secure)
        {
            await ReplyAsync(502, "5.5.1 STARTTLS not available", cancellationToken).ConfigureAwait(false);
            return true;
        }

        await ReplyAsync(220, "2.0.0 Ready to start TLS", cancellationToken).ConfigureAwait(false);
        await UpgradeToTlsAsync(cancellationToken).ConfigureAwait(false);
        // RFC 3207: the client starts over with EHLO and nothing learned before TLS is kept.
        _greeted = false;
        _authenticatedUser = null;
        ResetTransaction();
        return true;
    }

    private async Task UpgradeToTlsAsync(CancellationToken cancellationToken)
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = tls;
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions { ServerCertificate = _server.Certificate }, cancellationToken).ConfigureAwait(false);
        // A new reader drops any plain-text bytes pipelined after STARTTLS, as RFC 3207 requires.
        _reader = new SmtpLineReader(tls);
        _secure = true;
    }

    private async Task AuthenticateAsync(string argument, CancellationToken cancellationToken)
    {
        if (_server.Options.Credentials is not { } credentials)
        {
            await ReplyAsync(502, "5.5.1 AUTH not available", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_authenticatedUser is not null)
        {
            await ReplyAsync(503, "5.5.1 Already authenticated", cancellationToken).ConfigureAwait(false);
            return;
        }

        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        string? user;
        string? password;
        switch (parts.FirstOrDefault()?.ToUpperInvariant())
        {
            case "PLAIN":
                // authzid NUL authcid NUL password, as an initial response or after an empty challenge.
                var plain = DecodeBase64(parts.Length > 1 ? parts[1] : await ChallengeAsync("", cancellationToken).ConfigureAwait(false))
                    ?.Split('\0');
                (user, password) = plain is { Length: 3 } ? (plain[1], plain[2]) : (null, null);
                break;
            case "LOGIN":
                user = DecodeBase64(parts.Length > 1 ? parts[1] : await ChallengeAsync("VXNlcm5hbWU6", cancellationToken).ConfigureAwait(false));
                password = DecodeBase64(await ChallengeAsync("UGFzc3dvcmQ6", cancellationToken).ConfigureAwait(false));
                break;
            default:
                await ReplyAsync(504, "5.5.4 Unrecognized authentication type", cancellationToken).ConfigureAwait(false);
                return;
        }

        if (user is null || password is null)
        {
            await ReplyAsync(501, "5.5.2 Cannot decode AUTH response", cancellationToken).ConfigureAwait(false);
        }
        else if (user == credentials.User && password == credentials.Password)
        {
            _authenticatedUser = user;
            await ReplyAsync(235, "2.7.0 Authentication successful", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(535, "5.7.8 Authentication credentials invalid", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ChallengeAsync(string challenge, CancellationToken cancellationToken)
    {
        await ReplyAsync(334, challenge, cancellationToken).ConfigureAwait(false);
        var response = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new IOException("The client closed the connection during AUTH.");
        return Encoding.ASCII.GetString(response);
    }

    private async Task MailFromAsync(string argument, CancellationToken cancellationToken)
    {
        SmtpReply reply;
        if (!_greeted)
        {
            reply = new SmtpReply(503, "5.5.1 Error: send HELO/EHLO first");
        }
        else if (_server.Options.Credentials is not null && _authenticatedUser is null)
        {
            reply = new SmtpReply(530, "5.7.0 Authentication required");
        }
        else if (_mailFrom is not null)
        {
            reply = new SmtpReply(503, "5.5.1 Error: nested MAIL command");
        }
        else if (!TryParsePath(argument, "FROM:", out var sender))
        {
            reply = new SmtpReply(501, "5.5.4 Syntax: MAIL FROM:<address>");
        }
        else if (_server.Faults.TakeMailFromFailure() is { } failure)
        {
            reply = failure;
        }
        else
        {
            _mailFrom = sender;
            reply = new SmtpReply(250, "2.1.0 Ok");
        }

        await ReplyAsync(reply.Code, reply.Text, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecipientAsync(string argument, CancellationToken cancellationToken)
    {
        SmtpReply reply;
        if (_mailFrom is null)
        {
            reply = new SmtpReply(503, "5.5.1 Error: need MAIL command");
        }
        else if (!TryParsePath(argument, "TO:", out var recipient))
        {
            reply = new SmtpReply(501, "5.5.4 Syntax: RCPT TO:<address>");
        }
        else if (_server.Faults.RecipientRefusal(recipient) is { } refusal)
        {
            reply = refusal;
        }
        else
        {
            _recipients.Add(recipient);
            reply = new SmtpReply(250, "2.1.5 Ok");
        }

        await ReplyAsync(reply.Code, reply.Text, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DataAsync(CancellationToken cancellationToken)
    {
        if (_mailFrom is null || _recipients.Count == 0)
        {
            await ReplyAsync(_mailFrom is null ? 503 : 554, "5.5.1 Error: no valid recipients", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var randomFault = _server.Faults.DrawRandomFault();
        if (_server.Faults.TakeDropAtDataCommand() || randomFault == SmtpRandomFault.DropAtDataCommand)
        {
            return false;
        }

        await ReplyAsync(354, "End data with <CR><LF>.<CR><LF>", cancellationToken).ConfigureAwait(false);
        var drop = _server.Faults.TakeDropDuringData();
        using var data = new MemoryStream();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null || drop)
            {
                return false;
            }

            if (line is [(byte)'.'])
            {
                break;
            }

            // Dot-unstuffing: the client doubled every leading dot.
            var start = line is [(byte)'.', ..] ? 1 : 0;
            data.Write(line, start, line.Length - start);
            data.Write(LineEnding);
        }

        SmtpReply reply;
        var refusal = _server.Faults.TakeDataFailure() ?? randomFault switch
        {
            SmtpRandomFault.TransientRefusal => SmtpFaults.RandomTransientReply,
            SmtpRandomFault.PermanentRefusal => SmtpFaults.RandomPermanentReply,
            _ => null,
        };
        var raw = data.ToArray();
        var message = await MimeMessage.LoadAsync(new MemoryStream(raw), cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            _server.RecordRefusal(new RefusedSmtpMessage(message, refusal));
            reply = refusal;
        }
        else
        {
            var dropReply = _server.Faults.TakeDropAfterData() || randomFault == SmtpRandomFault.DropAfterAccepting;
            var queueId = _server.Record(new ReceivedSmtpMessage(_id, _mailFrom, [.. _recipients], message, raw, _secure, _authenticatedUser, dropReply));
            if (dropReply)
            {
                return false;
            }

            reply = new SmtpReply(250, $"2.0.0 Ok: queued as {queueId}");
        }

        ResetTransaction();
        await ReplyAsync(reply.Code, reply.Text, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void ResetTransaction()
    {
        _mailFrom = null;
        _recipients.Clear();
    }

    private Task ReplyAsync(int code, string text, CancellationToken cancellationToken) =>
        ReplyAsync(code, [text], cancellationToken);

    private async Task ReplyAsync(int code, string[] lines, CancellationToken cancellationToken)
    {
        var delay = _server.Faults.ReplyDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        var reply = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            reply.Append(code).Append(i < lines.Length - 1 ? '-' : ' ').Append(lines[i]).Append("\r\n");
        }

        await _stream.WriteAsync(Encoding.UTF8.GetBytes(reply.ToString()), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads <c>FROM:&lt;a@b&gt; PARAM=…</c>; the null path <c>&lt;&gt;</c> gives an empty address.</summary>
    private static bool TryParsePath(string argument, string prefix, out string address)
    {
        address = "";
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var path = argument[prefix.Length..].TrimStart();
        var close = path.IndexOf('>', StringComparison.Ordinal);
        if (!path.StartsWith('<') || close < 0)
        {
            return false;
        }

        address = path[1..close];
        return true;
    }

    private static string? DecodeBase64(string value)
    {
        var bytes = new byte[value.Length];
        return Convert.TryFromBase64String(value, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
