using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels.Email;

/// <summary>
/// SmtpTransport sends e-mail through one SMTP server (<c>Channels:Email</c>) over a pool of at most
/// <see cref="EmailChannelOptions.MaxConnections"/> MailKit connections, opened on first use and reused.
/// </summary>
/// <remarks>
/// <para>Outcomes. Whatever the server answered about the message comes back as results: a refused RCPT TO fails
/// that address only (4xx transient, 5xx permanent) while the others get the message; a refused MAIL FROM or DATA
/// fails every address with the server's code. Failing to get a working session is thrown for the caller to classify
/// with <see cref="SmtpFailureClassifier.Classify"/>: connect errors and timeouts, TLS and AUTH failures, a dropped
/// connection, a command timeout, cancellation. Such a failure after the final <c>.</c> of DATA was written is thrown
/// as an <see cref="AnswerLostException"/>: the server may have queued the message, so its outcome is unknown.</para>
/// <para>Connections. A connection that failed is dropped and the next send opens a new one. When a reused
/// connection turns out to have been closed by the server (idle timeout) before it answered MAIL FROM, nothing was
/// accepted, so the message is sent once more on a fresh connection within the same call.</para>
/// </remarks>
public sealed partial class SmtpTransport : IChannelTransport, IAsyncDisposable, IDisposable
{
    private readonly EmailChannelOptions _options;
    private readonly string _host;
    private readonly MailboxAddress _from;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SmtpTransport> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentStack<RecipientTrackingSmtpClient> _idle = new();
    private int _disposed;

    public SmtpTransport(IOptions<EmailChannelOptions> options, TimeProvider timeProvider, ILogger<SmtpTransport> logger)
    {
        _options = options.Value;
        _host = _options.Host?.Trim() is { Length: > 0 } host
            ? host
            : throw new InvalidOperationException($"{EmailChannelOptions.SectionName}:Host is not set; e-mail goes to the outbox.");
        _from = MailboxAddress.Parse(_options.From
            ?? throw new InvalidOperationException($"{EmailChannelOptions.SectionName}:From is required when {EmailChannelOptions.SectionName}:Host is set."));
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);
        RateLimit = _options.ToChannelRateLimit();
    }

    public NotifyChannel Channel => NotifyChannel.Email;

    public string Name => "smtp";

    public int MaxConcurrency => _options.MaxConnections;

    public ChannelRateLimit? RateLimit { get; }

    public SendFailure Classify(Exception exception) => SmtpFailureClassifier.Classify(exception);

    public bool RetryUnknownOutcome => _options.RetryUnknownOutcome;

    public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var envelope = EmailMimeBuilder.Build(delivery, _from, _timeProvider.GetUtcNow());
        if (envelope.Recipients.Count == 0)
        {
            return ToResult(delivery, envelope, [], messageFailure: null, serverResponse: null);
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var client = _idle.TryPop(out var pooled) ? pooled : NewClient();
        try
        {
            var reused = IsReady(client);
            if (!reused)
            {
                await ConnectAsync(client, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return await SendOnAsync(client, delivery, envelope, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (reused && IsClosedBeforeMailFrom(client, exception, cancellationToken))
            {
                LogReconnecting(_logger, _host, _options.Port, delivery.MessageId, exception.Message);
                client.Dispose();
                client = NewClient();
                await ConnectAsync(client, cancellationToken).ConfigureAwait(false);
                return await SendOnAsync(client, delivery, envelope, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Return(client);
            _slots.Release();
        }
    }

    /// <summary>Sends QUIT on every idle connection; a connection still sending is closed when its send ends.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryPop(out var client))
        {
            using (client)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(_options.CommandTimeout, _timeProvider);
                    await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (IsConnectionError(exception))
                {
                    LogQuitFailed(_logger, _host, _options.Port, exception.Message);
                }
            }
        }
    }

    /// <summary>The synchronous form of <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryPop(out var client))
        {
            using (client)
            {
                try
                {
                    client.Disconnect(quit: true);
                }
                catch (Exception exception) when (IsConnectionError(exception))
                {
                    LogQuitFailed(_logger, _host, _options.Port, exception.Message);
                }
            }
        }
    }

    private async Task<DeliveryResult> SendOnAsync(
        RecipientTrackingSmtpClient client, ChannelDelivery delivery, EmailEnvelope envelope, CancellationToken cancellationToken)
    {
        client.BeginMessage();
        try
        {
            var response = await client.SendAsync(envelope.Message, envelope.Sender, envelope.Recipients, cancellationToken)
                .ConfigureAwait(false);
            LogRefusals(delivery, client.Refused);
            return ToResult(delivery, envelope, client.Refused, messageFailure: null, response.Trim());
        }
        catch (SmtpCommandException refused) when (client.MailFromAnswered)
        {
            // MAIL FROM or DATA refused, or every RCPT TO refused: the server answered, MailKit sent RSET and
            // the connection stays usable. A 421 to MAIL FROM (the server closing) is not an answer and is thrown.
            LogRefusals(delivery, client.Refused);
            var code = (int)refused.StatusCode;
            LogMessageRefused(_logger, delivery.MessageId, code, refused.Message);
            var failure = FailureRules.ForSmtpStatus(code, $"SMTP {code}: {refused.Message}");
            return ToResult(delivery, envelope, client.Refused, failure, serverResponse: null);
        }
        catch (Exception lost) when (client.EndOfDataSent && lost is not SmtpCommandException)
        {
            // The server had the whole message and the connection failed before its reply: it may have queued it.
            throw new AnswerLostException(lost);
        }
    }

    private async Task ConnectAsync(RecipientTrackingSmtpClient client, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var security = _options.EffectiveSecurity switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
            _ => SecureSocketOptions.None,
        };
        try
        {
            await client.ConnectAsync(_host, _options.Port, security, linked.Token).ConfigureAwait(false);
            if (_options.HasCredentials)
            {
                if (!client.IsSecure && !_options.AllowPlaintextAuth)
                {
                    throw new PlaintextAuthRefusedException(
                        $"SMTP server {_host}:{_options.Port} did not offer STARTTLS, and AUTH is not sent over a plaintext connection "
                        + $"({EmailChannelOptions.SectionName}:AllowPlaintextAuth allows it)");
                }

                await client.AuthenticateAsync(_options.User!, _options.Password ?? "", linked.Token).ConfigureAwait(false);
            }

            client.UseDataCommand();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"connecting to SMTP server {_host}:{_options.Port} took longer than {EmailChannelOptions.SectionName}:ConnectTimeout ({_options.ConnectTimeout})");
        }

        LogConnected(_logger, _host, _options.Port, _options.EffectiveSecurity);
    }

    private RecipientTrackingSmtpClient NewClient()
    {
        var client = new RecipientTrackingSmtpClient
        {
            Timeout = (int)_options.CommandTimeout.TotalMilliseconds,
        };
        if (_options.AllowInvalidCertificate)
        {
            client.CheckCertificateRevocation = false;
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }

        return client;
    }

    private void Return(RecipientTrackingSmtpClient client)
    {
        if (IsReady(client) && Volatile.Read(ref _disposed) == 0)
        {
            _idle.Push(client);
        }
        else
        {
            // Failed (MailKit closed the socket, or the session is half set up: TLS or AUTH failed) or shutting
            // down while this send ran. Disposing closes the socket; the next send opens a new connection.
            client.Dispose();
        }
    }

    /// <summary>Connected and, when credentials are configured, authenticated: a session MAIL FROM can go on.</summary>
    private bool IsReady(RecipientTrackingSmtpClient client) =>
        client.IsConnected && (string.IsNullOrWhiteSpace(_options.User) || client.IsAuthenticated);

    /// <summary>
    /// A reused connection the server had closed fails before MAIL FROM is answered: with an I/O or protocol error,
    /// or with the 421 a server sends when it closes an idle connection.
    /// A timeout is excluded: the server is there but slow, and a second try would only double the wait.
    /// </summary>
    private static bool IsClosedBeforeMailFrom(RecipientTrackingSmtpClient client, Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && !client.MailFromAnswered
        && exception is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException
            or SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable }
        && !IsTimeout(exception);

    private static bool IsConnectionError(Exception exception) =>
        exception is IOException or SocketException or SmtpProtocolException or OperationCanceledException or TimeoutException;

    private static bool IsTimeout(Exception exception) =>
        exception is TimeoutException
        || exception.InnerException is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut };

    private static DeliveryResult ToResult(
        ChannelDelivery delivery, EmailEnvelope envelope, IReadOnlyList<SmtpRefusal> refused, SendFailure? messageFailure, string? serverResponse)
    {
        var results = new List<RecipientResult>(delivery.Recipients.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in delivery.Recipients)
        {
            if (!seen.Add(recipient.Address))
            {
                continue;
            }

            var refusal = refused.FirstOrDefault(r => string.Equals(r.Address, recipient.Address, StringComparison.OrdinalIgnoreCase));
            if (refusal is not null)
            {
                var failure = FailureRules.ForSmtpStatus(
                    refusal.StatusCode, $"SMTP {refusal.StatusCode} for {refusal.Address}: {refusal.Response}");
                results.Add(new RecipientResult(recipient.Address, failure));
            }
            else if (envelope.UnparsableAddresses.Contains(recipient.Address))
            {
                results.Add(new RecipientResult(recipient.Address, SendFailure.Permanent($"'{recipient.Address}' is not a plain e-mail address")));
            }
            else
            {
                results.Add(new RecipientResult(recipient.Address, messageFailure, messageFailure is null ? serverResponse : null));
            }
        }

        return new DeliveryResult(results);
    }

    private void LogRefusals(ChannelDelivery delivery, IReadOnlyList<SmtpRefusal> refused)
    {
        foreach (var refusal in refused)
        {
            LogRecipientRefused(_logger, refusal.Address, delivery.MessageId, refusal.StatusCode, refusal.Response);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to SMTP server {Host}:{Port} ({Security})")]
    private static partial void LogConnected(ILogger logger, string host, int port, SmtpSecurity security);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "SMTP server {Host}:{Port} had closed a pooled connection ({Error}); sending message {MessageId} on a new one")]
    private static partial void LogReconnecting(ILogger logger, string host, int port, string messageId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP server refused recipient {Address} of message {MessageId}: {StatusCode} {Response}")]
    private static partial void LogRecipientRefused(ILogger logger, string address, string messageId, int statusCode, string response);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server refused message {MessageId}: {StatusCode} {Response}")]
    private static partial void LogMessageRefused(ILogger logger, string messageId, int statusCode, string response);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QUIT to SMTP server {Host}:{Port} failed on shutdown: {Error}")]
    private static partial void LogQuitFailed(ILogger logger, string host, int port, string error);
}
