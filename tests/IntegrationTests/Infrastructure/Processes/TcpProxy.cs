using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Notify.IntegrationTests.Infrastructure.Processes;

/// <summary>
/// A TCP forwarder from a local port to a target (a silo's connection to PostgreSQL, an SMTP server) that a test can
/// <see cref="Cut"/> like a network partition, not a refusal: bytes in flight vanish, open connections stay open but
/// carry nothing, and new connections are accepted and never answered, so clients learn of it only from their own
/// timeouts. <see cref="Restore"/> drops the connections held during the cut (as the peers' timeouts would have) and
/// forwards new ones again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly Task _acceptLoop;
    private volatile bool _cut;

    private TcpProxy(TcpListener listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Where clients connect instead of the target.</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public bool IsCut => _cut;

    /// <summary>Connections accepted since start.</summary>
    public int Accepted { get; private set; }

    /// <summary>Listens on a free port of <paramref name="listenOn"/> (loopback unless given).</summary>
    public static TcpProxy Start(IPEndPoint target, IPAddress? listenOn = null)
    {
        var listener = new TcpListener(listenOn ?? IPAddress.Loopback, 0);
        listener.Start(backlog: 512);
        return new TcpProxy(listener, target);
    }

    /// <summary>A connection string like <paramref name="connectionString"/> that goes through this proxy.</summary>
    public string Redirect(string connectionString) => new Npgsql.NpgsqlConnectionStringBuilder(connectionString)
    {
        Host = Endpoint.Address.ToString(),
        Port = Endpoint.Port,
    }.ConnectionString;

    /// <summary>The partition starts: from now on nothing crosses the proxy.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var link in _links.Keys)
        {
            link.Freeze();
        }
    }

    /// <summary>The partition heals: connections held during it are dropped, new ones are forwarded.</summary>
    public void Restore()
    {
        _cut = false;
        foreach (var link in _links.Keys.Where(l => l.Frozen))
        {
            link.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var link in _links.Keys)
        {
            link.Close();
        }

        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Accepted++;
            _ = RunAsync(new Link(client));
        }
    }

    private async Task RunAsync(Link link)
    {
        _links.TryAdd(link, 0);
        try
        {
            if (_cut)
            {
                // Accepted by the kernel, never answered: the client waits for its own timeout.
                link.Freeze();
                await link.Closed;
                return;
            }

            await link.Server.ConnectAsync(_target, _stopping.Token);
            await Task.WhenAll(PumpAsync(link, link.Client, link.Server), PumpAsync(link, link.Server, link.Client));
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The target refused, a side hung up, or the proxy stopped: the link ends.
        }
        finally
        {
            link.Close();
            _links.TryRemove(link, out _);
        }
    }

    private static async Task PumpAsync(Link link, Socket from, Socket to)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, link.Closing);
            if (read == 0 || link.Frozen)
            {
                // End of stream, or the partition swallowed these bytes: hold the connection until it is dropped.
                if (link.Frozen)
                {
                    await link.Closed;
                }

                link.Close();
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, link.Closing);
        }
    }

    /// <summary>One client connection and its connection to the target.</summary>
    private sealed class Link(Socket client)
    {
        private readonly CancellationTokenSource _closing = new();
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _isClosed;

        public Socket Client { get; } = client;

        public Socket Server { get; } = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

        public bool Frozen { get; private set; }

        public CancellationToken Closing => _closing.Token;

        public Task Closed => _closed.Task;

        public void Freeze() => Frozen = true;

        public void Close()
        {
            if (Interlocked.Exchange(ref _isClosed, 1) == 1)
            {
                return;
            }

            _closing.Cancel();
            Client.Dispose();
            Server.Dispose();
            _closed.TrySetResult();
        }
    }
}
