using System.Threading.Channels;

namespace Notify.Silo.Persistence;

/// <summary>
/// Collects record writes from concurrent grains into batches and hands each batch to one flush: a batch is flushed
/// when it is full or <see cref="RecordGroupCommitOptions.MaxDelay"/> after its first write, with at most
/// <see cref="RecordGroupCommitOptions.MaxConcurrentFlushes"/> flushes running. While they all run, writes queue up,
/// so batches grow with the load. Every write is completed by its flush; none is acknowledged before that.
/// </summary>
internal sealed class RecordGroupCommitQueue : IAsyncDisposable
{
    private readonly Channel<PendingRecordWrite> _queue =
        Channel.CreateUnbounded<PendingRecordWrite>(new UnboundedChannelOptions { SingleReader = true });

    private readonly RecordGroupCommitOptions _options;
    private readonly Func<IReadOnlyList<PendingRecordWrite>, Task> _flush;
    private readonly SemaphoreSlim _flushSlots;
    private readonly Task _collector;

    /// <param name="flush">Writes one batch and completes each of its writes; whatever it leaves open fails with what it threw.</param>
    public RecordGroupCommitQueue(RecordGroupCommitOptions options, Func<IReadOnlyList<PendingRecordWrite>, Task> flush)
    {
        _options = options;
        _flush = flush;
        _flushSlots = new SemaphoreSlim(options.MaxConcurrentFlushes, options.MaxConcurrentFlushes);
        _collector = Task.Run(CollectAsync);
    }

    /// <summary>Queues the write; false once the queue is disposed.</summary>
    public bool TryEnqueue(PendingRecordWrite write) => _queue.Writer.TryWrite(write);

    /// <summary>Refuses new writes, flushes the queued ones and waits for every flush to end; later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        // The container disposes the store once per service it is registered as.
        if (!_queue.Writer.TryComplete())
        {
            return;
        }

        await _collector;
        for (var slot = 0; slot < _options.MaxConcurrentFlushes; slot++)
        {
            await _flushSlots.WaitAsync();
        }

        _flushSlots.Dispose();
    }

    private async Task CollectAsync()
    {
        var reader = _queue.Reader;
        List<PendingRecordWrite> carried = [];
        var linger = new CancellationTokenSource();
        try
        {
            while (true)
            {
                await _flushSlots.WaitAsync();
                if (carried.Count == 0 && !await reader.WaitToReadAsync())
                {
                    _flushSlots.Release();
                    return;
                }

                var batch = new RecordWriteBatch(_options.MaxBatchSize);
                carried.ForEach(batch.Offer);
                Drain(reader, batch);
                if (!batch.IsFull && _options.MaxDelay > TimeSpan.Zero)
                {
                    linger = await LingerAsync(reader, batch, linger);
                }

                carried = batch.Deferred;
                // On the pool: whatever the flush does before its first await must not hold up the next batch.
                _ = Task.Run(() => FlushAsync(batch.Writes));
            }
        }
        finally
        {
            linger.Dispose();
        }
    }

    /// <summary>Takes writes into the batch until it is full or the delay is over; returns the timer to use next time.</summary>
    private async Task<CancellationTokenSource> LingerAsync(ChannelReader<PendingRecordWrite> reader, RecordWriteBatch batch, CancellationTokenSource linger)
    {
        linger.CancelAfter(_options.MaxDelay);
        try
        {
            while (!batch.IsFull && await reader.WaitToReadAsync(linger.Token))
            {
                Drain(reader, batch);
            }
        }
        catch (OperationCanceledException) when (linger.IsCancellationRequested)
        {
        }

        if (linger.TryReset())
        {
            return linger;
        }

        // A timer that fired cannot be reset.
        linger.Dispose();
        return new CancellationTokenSource();
    }

    private static void Drain(ChannelReader<PendingRecordWrite> reader, RecordWriteBatch batch)
    {
        while (!batch.IsFull && reader.TryRead(out var write))
        {
            batch.Offer(write);
        }
    }

    private async Task FlushAsync(IReadOnlyList<PendingRecordWrite> writes)
    {
        try
        {
            await _flush(writes);
        }
        catch (Exception exception)
        {
            foreach (var write in writes)
            {
                write.Completion.TrySetException(exception);
            }
        }
        finally
        {
            _flushSlots.Release();
        }
    }
}
