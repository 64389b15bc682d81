using System.Collections.Concurrent;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// Submits like a careful caller: every message carries a request id, and a submit that fails for any reason other
/// than a refusal (the gateway silo died, the store was briefly unavailable) is retried with the same id, so a
/// retried submit becomes the same message. Only acknowledged message ids count as accepted.
/// </summary>
internal sealed class ResilientSubmitter(IClusterClient client, TimeSpan givingUpAfter)
{
    private readonly ConcurrentDictionary<string, string> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private int _retries;

    /// <summary>Request id → acknowledged message id.</summary>
    public IReadOnlyDictionary<string, string> Accepted => _accepted;

    public int AcceptedCount => _accepted.Count;

    /// <summary>Submits that failed and were tried again.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Requests given up on: never acknowledged.</summary>
    public IReadOnlyCollection<string> GaveUp => _failures;

    public async Task SubmitAsync(string requestId, NotifyMessage message, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + givingUpAfter;
        while (true)
        {
            try
            {
                var result = await client.GetGrain<INotifyGrain>(GrainKeys.NotifyEntry()).SubmitAsync(message, requestId);
                _accepted[requestId] = result.MessageId;
                return;
            }
            catch (NotifyRequestException refused) when (refused.Kind is not RequestErrorKind.Unavailable)
            {
                throw;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline)
                {
                    _failures.Enqueue($"{requestId}: {exception.GetType().Name}: {exception.Message}");
                    return;
                }

                Interlocked.Increment(ref _retries);
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    /// <summary>Submits <paramref name="count"/> messages from <paramref name="workers"/> concurrent callers.</summary>
    public Task SubmitManyAsync(int count, int workers, Func<int, (string RequestId, NotifyMessage Message)> make, CancellationToken cancellationToken)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var (requestId, message) = make(i);
                await SubmitAsync(requestId, message, cancellationToken);
            }
        }, cancellationToken)));
    }
}
