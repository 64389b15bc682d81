using System.Collections.Concurrent;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Delivery;
using Notify.Grains.Channels;

namespace Notify.IntegrationTests.Infrastructure;

/// <summary>
/// A channel transport for grain-level tests: records every delivery and answers per address from a script
/// (deliver, fail transiently or permanently, throw), optionally holding sends until released. Real provider
/// behaviour is tested against real servers in the channel tests; this isolates the cluster's own logic.
/// </summary>
public sealed class ScriptedTransport(NotifyChannel channel, int maxConcurrency = 4, ChannelRateLimit? rateLimit = null) : IChannelTransport
{
    private readonly ConcurrentQueue<ChannelDelivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, Queue<Func<SendFailure?>>> _scripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ChangeSignal _sent = new();
    private int _completedSends;
    private volatile TaskCompletionSource _gate = Open();

    public NotifyChannel Channel { get; } = channel;

    public string Name => "scripted";

    public int MaxConcurrency { get; } = maxConcurrency;

    public ChannelRateLimit? RateLimit { get; } = rateLimit;

    public SendFailure Classify(Exception exception) => FailureRules.ForException(exception, Classify);

    /// <summary>Every delivery handed to this transport, in the order sends started.</summary>
    public IReadOnlyList<ChannelDelivery> Deliveries => _deliveries.ToArray();

    /// <summary>Addresses that were answered as delivered, in order.</summary>
    public ConcurrentQueue<string> DeliveredAddresses { get; } = new();

    /// <summary>Queues answers for <paramref name="address"/>: each send to it takes the next one; delivered once the script is empty.</summary>
    public ScriptedTransport Script(string address, params Func<SendFailure?>[] answers)
    {
        var queue = _scripts.GetOrAdd(address, _ => new Queue<Func<SendFailure?>>());
        lock (queue)
        {
            foreach (var answer in answers)
            {
                queue.Enqueue(answer);
            }
        }

        return this;
    }

    public static Func<SendFailure?> Transient(string error = "450 mailbox busy", TimeSpan? retryAfter = null) => () => SendFailure.Transient(error, retryAfter);

    public static Func<SendFailure?> Permanent(string error = "550 no such user") => () => SendFailure.Permanent(error);

    public static Func<SendFailure?> Throw(Exception exception) => () => throw exception;

    /// <summary>Holds every send until <see cref="Release"/> is called.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public async Task<DeliveryResult> SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        _deliveries.Enqueue(delivery);
        await _gate.Task.WaitAsync(cancellationToken);
        var results = new List<RecipientResult>();
        foreach (var address in delivery.Recipients.Select(r => r.Address).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var failure = NextAnswer(address)?.Invoke();
            results.Add(new RecipientResult(address, failure, failure is null ? $"scripted-{delivery.MessageId}" : null));
            if (failure is null)
            {
                DeliveredAddresses.Enqueue(address);
            }
        }

        Interlocked.Increment(ref _completedSends);
        _sent.Pulse();
        return new DeliveryResult(results);
    }

    /// <summary>Sends answered so far.</summary>
    public int CompletedSends => Volatile.Read(ref _completedSends);

    /// <summary>Waits until <paramref name="count"/> sends have been answered in total; fails with a clear message on timeout.</summary>
    public Task WaitForSendsAsync(int count, TimeSpan timeout) =>
        _sent.WaitUntilAsync(() => CompletedSends >= count, timeout, () => $"{Channel} transport: expected {count} answered sends, saw {CompletedSends}");

    private Func<SendFailure?>? NextAnswer(string address)
    {
        if (!_scripts.TryGetValue(address, out var queue))
        {
            return null;
        }

        lock (queue)
        {
            return queue.Count > 0 ? queue.Dequeue() : null;
        }
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
