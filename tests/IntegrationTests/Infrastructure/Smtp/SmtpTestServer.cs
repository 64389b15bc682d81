using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Notify.IntegrationTests.Infrastructure.Smtp;

/// <summary>
/// A real SMTP server on 127.0.0.1 for tests: <c>await using var smtp = SmtpTestServer.Start();</c>,
/// point the e-mail channel at <c>127.0.0.1:{smtp.Port}</c>, send, then <c>await smtp.WaitForMessagesAsync(1, timeout)</c>.
/// </summary>
/// <remarks>
/// <para>Speaks the ESMTP MailKit uses: EHLO (PIPELINING, 8BITMIME, SMTPUTF8, AUTH PLAIN LOGIN when credentials are
/// configured, STARTTLS when <see cref="SmtpTestServerTls.StartTls"/>), HELO, MAIL, RCPT, DATA with dot-unstuffing,
/// RSET, NOOP, QUIT; implicit TLS with <see cref="SmtpTestServerTls.Implicit"/>. Certificates are self-signed, so
/// clients need to accept invalid certificates (or trust <see cref="Certificate"/>).</para>
/// <para>Every accepted message is kept (<see cref="Messages"/>), with its envelope and connection. Connections are
/// counted (<see cref="ConnectionsOpened"/>). Faults are injected at run time through <see cref="Faults"/>, and
/// <see cref="CloseConnectionsAsync"/> drops idle connections as a server's idle timeout would. An unexpected
/// error inside the server surfaces when the server is disposed.</para>
/// </remarks>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, SmtpTestSession> _sessions = new();
    private readonly ConcurrentQueue<Exception> _sessionErrors = new();
    private readonly Lock _gate = new();
    private readonly List<ReceivedSmtpMessage> _messages = [];
    private readonly List<MessageWaiter> _waiters = [];
    private readonly ConcurrentQueue<RefusedSmtpMessage> _refused = new();
    private readonly Task _acceptLoop;
    private long _connectionsOpened;
    private long _queueIds;
    private long _quitCommands;

    private SmtpTestServer(TcpListener listener, SmtpTestServerOptions options)
    {
        _listener = listener;
        Options = options;
        Certificate = options.Tls == SmtpTestServerTls.None ? null : SelfSignedCertificate.ForLocalhost;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => IPAddress.Loopback.ToString();

    /// <summary>The port the OS assigned.</summary>
    public int Port { get; }

    public SmtpTestServerOptions Options { get; }

    /// <summary>The self-signed certificate presented for TLS; null without TLS.</summary>
    public X509Certificate2? Certificate { get; }

    public SmtpFaults Faults { get; } = new();

    /// <summary>Connections accepted since start, open or closed.</summary>
    public int ConnectionsOpened => (int)Interlocked.Read(ref _connectionsOpened);

    /// <summary>Connections open right now.</summary>
    public int OpenConnections => _sessions.Count;

    /// <summary>QUIT commands received: a client that closes politely sends one per connection.</summary>
    public int QuitCommands => (int)Interlocked.Read(ref _quitCommands);

    /// <summary>A snapshot of the accepted messages, in order of acceptance.</summary>
    public IReadOnlyList<ReceivedSmtpMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>The messages refused at the end of DATA (a fault's reply), in order.</summary>
    public IReadOnlyList<RefusedSmtpMessage> RefusedMessages => _refused.ToArray();

    /// <summary>Starts listening on 127.0.0.1 with an OS-assigned port; throws when the socket cannot be opened.</summary>
    public static SmtpTestServer Start(SmtpTestServerOptions? options = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        try
        {
            listener.Start(backlog: 512);
        }
        catch (SocketException exception)
        {
            listener.Dispose();
            throw new InvalidOperationException(
                $"SMTP test server could not listen on 127.0.0.1 with an OS-assigned port: {exception.SocketErrorCode} {exception.Message}", exception);
        }

        return new SmtpTestServer(listener, options ?? new SmtpTestServerOptions());
    }

    /// <summary>Waits until at least <paramref name="count"/> messages were accepted; returns them all.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>; the message says how many.</exception>
    public async Task<IReadOnlyList<ReceivedSmtpMessage>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitAsync(messages => messages.Count >= count, $"{count} message(s)", timeout, cancellationToken).ConfigureAwait(false);
        return Messages;
    }

    /// <summary>Waits for the first accepted message that matches, for tests that share one server.</summary>
    /// <exception cref="TimeoutException">None matched within <paramref name="timeout"/>.</exception>
    public async Task<ReceivedSmtpMessage> WaitForMessageAsync(
        Func<ReceivedSmtpMessage, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitAsync(messages => messages.Any(match), "a matching message", timeout, cancellationToken).ConfigureAwait(false);
        return Messages.First(match);
    }

    /// <summary>
    /// Closes every open connection, as a server's idle timeout does: with <c>421 4.4.2 idle timeout</c> first when
    /// <paramref name="announce"/>, silently otherwise. Returns when they are closed.
    /// </summary>
    public Task CloseConnectionsAsync(bool announce) =>
        Task.WhenAll(_sessions.Values.Select(session => session.CloseAsync(announce)));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_sessions.Values.Select(session => session.CloseAsync(announce: false))).ConfigureAwait(false);
        _listener.Dispose();
        _stopping.Dispose();
        if (!_sessionErrors.IsEmpty)
        {
            throw new AggregateException("SMTP test server failed while serving a connection.", _sessionErrors);
        }
    }

    internal void CountQuit() => Interlocked.Increment(ref _quitCommands);

    internal void RecordRefusal(RefusedSmtpMessage refusal) => _refused.Enqueue(refusal);

    internal string Record(ReceivedSmtpMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
            _waiters.RemoveAll(waiter => waiter.TryComplete(_messages));
        }

        return Interlocked.Increment(ref _queueIds).ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task WaitAsync(Func<IReadOnlyList<ReceivedSmtpMessage>, bool> condition, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new MessageWaiter(condition);
        lock (_gate)
        {
            if (!waiter.TryComplete(_messages))
            {
                _waiters.Add(waiter);
            }
        }

        try
        {
            await waiter.Completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
                throw new TimeoutException(
                    $"SMTP test server on port {Port} did not receive {what} within {timeout}: {_messages.Count} message(s) accepted, " +
                    $"{ConnectionsOpened} connection(s) opened.");
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException
                                              && _stopping.IsCancellationRequested)
            {
                return;
            }

            var id = Interlocked.Increment(ref _connectionsOpened);
            var session = new SmtpTestSession(this, id, client, _stopping.Token);
            _sessions[id] = session;
            session.Start(onClosed: error =>
            {
                _sessions.TryRemove(id, out _);
                if (error is not null)
                {
                    _sessionErrors.Enqueue(error);
                }
            });
        }
    }

    private sealed class MessageWaiter(Func<IReadOnlyList<ReceivedSmtpMessage>, bool> condition)
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completion => _completion.Task;

        public bool TryComplete(IReadOnlyList<ReceivedSmtpMessage> messages)
        {
            if (!condition(messages))
            {
                return false;
            }

            _completion.TrySetResult();
            return true;
        }
    }
}
