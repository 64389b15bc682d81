using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Telemetry;

namespace Notify.Grains.Channels;

/// <summary>
/// One channel's send queue on one silo: strict priority, sources taking turns within a priority
/// (<see cref="FairShareQueue{T}"/>), a fixed number of workers (the transport's concurrency, e.g. its SMTP
/// connections) and the provider's rate limit. A worker takes a rate-limit permit first and only then the best waiting
/// delivery, so the permit goes to the highest priority. A delivery that waits longer than the queue limit is answered
/// as a transient failure (never sent, so never a duplicate) instead of letting its caller time out.
/// </summary>
public sealed partial class ChannelDispatcher : IAsyncDisposable
{
    private readonly IChannelTransport _transport;
    private readonly RateLimiter? _rateLimiter;
    private readonly ChannelRateLimit? _rateLimit;
    private readonly Action<TimeSpan>? _onRetryAfter;
    private readonly ChannelSendMetrics? _metrics;
    private readonly TimeSpan _maxQueueWait;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FairShareQueue<QueuedDelivery> _queue = new();
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _waiting = new(0);
    private readonly CancellationTokenSource _stopping = new();

    // Cancelled at disposal only, after a grace: the drain lets sends on the wire finish however long they take.
    private readonly CancellationTokenSource _aborting = new();
    private readonly Task[] _workers;

    // Once set (under the queue lock), nothing new is queued: the silo is going away.
    private bool _draining;
    private int _inFlight;
    private int _disposed;

    /// <param name="rateLimiter">The provider's quota as this silo sees it; null for none.</param>
    /// <param name="onRetryAfter">Told when the provider asked to wait (<c>Retry-After</c>), so the credential pauses.</param>
    /// <param name="metrics">Where each send's provider latency, rate-limit wait and unknown outcome are recorded; null for none.</param>
    /// <param name="rateLimit">The budget <paramref name="rateLimiter"/> enforces: the lane's; the transport's when null.</param>
    public ChannelDispatcher(
        IChannelTransport transport,
        RateLimiter? rateLimiter,
        Action<TimeSpan>? onRetryAfter,
        TimeSpan maxQueueWait,
        TimeSpan sendTimeout,
        TimeProvider time,
        ILogger logger,
        ChannelSendMetrics? metrics = null,
        ChannelRateLimit? rateLimit = null)
    {
        _transport = transport;
        _rateLimiter = rateLimiter;
        _rateLimit = rateLimit ?? transport.RateLimit;
        _onRetryAfter = onRetryAfter;
        _metrics = metrics;
        _maxQueueWait = maxQueueWait;
        _sendTimeout = sendTimeout;
        _time = time;
        _logger = logger;
        _workers = Enumerable.Range(0, Math.Max(1, transport.MaxConcurrency))
            .Select(_ => Task.Run(() => WorkAsync(_stopping.Token)))
            .ToArray();
    }

    public IChannelTransport Transport => _transport;

    /// <summary>Deliveries waiting for a worker (including those whose worker waits for a rate-limit permit).</summary>
    public int QueueLength
    {
        get
        {
            lock (_queueLock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Sends on the wire: handed to the transport and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public Task<DeliveryResult> EnqueueAsync(ChannelDelivery delivery)
    {
        var item = new QueuedDelivery(delivery, _time.GetUtcNow() + _maxQueueWait);
        lock (_queueLock)
        {
            if (_draining)
            {
                return Task.FromResult(DeliveryResult.AllFailed(delivery.Recipients, HandedBack));
            }

            _queue.Enqueue(item, (int)delivery.Message.Priority, delivery.Message.Source);
        }

        _waiting.Release();
        return item.Completion.Task;
    }

    /// <summary>
    /// Stops taking deliveries before the silo leaves the cluster: waiting and new ones are answered at once as
    /// transient failures (their message grains retry them after their backoff, on whichever silo then holds them),
    /// the ones on the wire finish and are answered with their real outcome. Returns when nothing is on the wire, or
    /// when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        List<QueuedDelivery> waiting;
        lock (_queueLock)
        {
            _draining = true;
            waiting = _queue.DequeueAll();
        }

        foreach (var item in waiting)
        {
            item.Completion.TrySetResult(DeliveryResult.AllFailed(item.Delivery.Recipients, HandedBack));
        }

        // Idle workers stop at once; busy ones stop after the send they are in.
        await _stopping.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    internal static SendFailure HandedBack =>
        SendFailure.Transient("the channel sender's silo is shutting down; handed back to be retried");

    private async Task WorkAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            RateLimitLease? lease = null;
            try
            {
                await _waiting.WaitAsync(stopping);
                if (_rateLimiter is not null)
                {
                    var waitStarted = _time.GetTimestamp();
                    lease = await _rateLimiter.AcquireAsync(1, stopping);
                    _metrics?.RateLimitWaited(_time.GetElapsedTime(waitStarted));
                }
            }
            catch (OperationCanceledException)
            {
                lease?.Dispose();
                return;
            }

            using (lease)
            {
                var item = DequeueLive();
                if (item is not null && await AcquireExtraPermitsAsync(item, stopping))
                {
                    item.Completion.TrySetResult(await SendAsync(item.Delivery));
                }
            }
        }
    }

    /// <summary>
    /// A delivery that makes several provider requests (a split robot message) takes the rest of its permits once it
    /// is chosen; never more than the bucket holds, which would wait forever.
    /// </summary>
    private async Task<bool> AcquireExtraPermitsAsync(QueuedDelivery item, CancellationToken stopping)
    {
        if (_rateLimiter is null || _rateLimit is not { } limit)
        {
            return true;
        }

        var extra = Math.Min(_transport.PermitsFor(item.Delivery), limit.Permits) - 1;
        if (extra <= 0)
        {
            return true;
        }

        try
        {
            var waitStarted = _time.GetTimestamp();
            using var lease = await _rateLimiter.AcquireAsync(extra, stopping);
            _metrics?.RateLimitWaited(_time.GetElapsedTime(waitStarted));
            return true;
        }
        catch (OperationCanceledException)
        {
            item.Completion.TrySetResult(DeliveryResult.AllFailed(item.Delivery.Recipients, SendFailure.Transient("the channel sender stopped before this delivery was sent")));
            return false;
        }
    }

    /// <summary>The best waiting delivery, answering any that waited too long on the way.</summary>
    private QueuedDelivery? DequeueLive()
    {
        var now = _time.GetUtcNow();
        while (true)
        {
            QueuedDelivery? item;
            lock (_queueLock)
            {
                if (!_queue.TryDequeue(out item))
                {
                    return null;
                }
            }

            if (item.Deadline > now)
            {
                return item;
            }

            // Each expired item consumed a waiting signal it no longer needs; give one back for the live items.
            _waiting.Wait(0);
            var failure = SendFailure.Transient($"waited more than {_maxQueueWait} in the {_transport.Channel} queue (provider rate limit)");
            item.Completion.TrySetResult(DeliveryResult.AllFailed(item.Delivery.Recipients, failure));
        }
    }

    private async Task<DeliveryResult> SendAsync(ChannelDelivery delivery)
    {
        using var timeout = new CancellationTokenSource(_sendTimeout, _time);
        using var send = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _aborting.Token);
        DeliveryResult result;
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _inFlight);
        try
        {
            result = await _transport.SendAsync(delivery, send.Token);
        }
        catch (Exception exception)
        {
            var failure = _transport.Classify(exception);
            LogSendFailed(_transport.Name, delivery.MessageId, delivery.Attempt, failure.Kind, failure.Error);
            result = DeliveryResult.AllFailed(delivery.Recipients, failure);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        var outcome = OutcomeOf(result);
        _metrics?.SendFinished(_time.GetElapsedTime(started), outcome);
        if (outcome == SendOutcome.Unknown)
        {
            LogUnknownOutcome(_transport.Name, delivery.MessageId, delivery.Attempt, _transport.RetryUnknownOutcome);
            _metrics?.UnknownOutcome();
            result = WithUnknownOutcomePolicy(result);
        }

        if (_onRetryAfter is not null && result.Recipients.Max(r => r.Failure?.RetryAfter) is { } retryAfter)
        {
            _onRetryAfter(retryAfter);
        }

        return result;
    }

    /// <summary>The attempt's worst recipient result: unknown, then transient, then permanent; sent only if every recipient was.</summary>
    private static SendOutcome OutcomeOf(DeliveryResult result)
    {
        var outcome = SendOutcome.Sent;
        var recipients = result.Recipients;
        for (var i = 0; i < recipients.Count; i++)
        {
            var failure = recipients[i].Failure;
            if (failure is null)
            {
                continue;
            }

            if (failure.OutcomeUnknown)
            {
                return SendOutcome.Unknown;
            }

            if (failure.Kind == FailureKind.Transient)
            {
                outcome = SendOutcome.Transient;
            }
            else if (outcome == SendOutcome.Sent)
            {
                outcome = SendOutcome.Permanent;
            }
        }

        return outcome;
    }

    private DeliveryResult WithUnknownOutcomePolicy(DeliveryResult result) => new(result.Recipients
        .Select(r => r.Failure is { } failure ? r with { Failure = FailureRules.ApplyUnknownOutcomePolicy(failure, _transport.RetryUnknownOutcome) } : r)
        .ToArray());

    public async ValueTask DisposeAsync()
    {
        // The container may dispose a silo's dispatchers more than once (a service registered under two types).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        // Sends on the wire get one send timeout to finish, on the real clock (a test's clock may never move), and are
        // then cancelled: a provider that never answers must not hold the silo's disposal forever.
        await Task.WhenAll(_workers).WaitAsync(_sendTimeout, TimeProvider.System).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _aborting.CancelAsync();
        await Task.WhenAll(_workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_queueLock)
        {
            _draining = true;
            var stopped = SendFailure.Transient("the channel sender stopped before this delivery was sent");
            foreach (var item in _queue.DequeueAll())
            {
                item.Completion.TrySetResult(DeliveryResult.AllFailed(item.Delivery.Recipients, stopped));
            }
        }

        _stopping.Dispose();
        _aborting.Dispose();
        _waiting.Dispose();
    }

    private sealed class QueuedDelivery(ChannelDelivery delivery, DateTimeOffset deadline)
    {
        public ChannelDelivery Delivery { get; } = delivery;

        public DateTimeOffset Deadline { get; } = deadline;

        public TaskCompletionSource<DeliveryResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Transport}: message {MessageId} attempt {Attempt} has an unknown outcome (sent, no answer): a possible duplicate; retried: {Retried}")]
    private partial void LogUnknownOutcome(string transport, string messageId, int attempt, bool retried);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Transport}: message {MessageId} attempt {Attempt} failed ({Kind}): {Error}")]
    private partial void LogSendFailed(string transport, string messageId, int attempt, FailureKind kind, string error);
}
