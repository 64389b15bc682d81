namespace Notify.IntegrationTests.Infrastructure;

/// <summary>Lets a test await "something changed" instead of sleeping: the producer pulses, waiters re-check their condition.</summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource _changed = New();

    public void Pulse() => Interlocked.Exchange(ref _changed, New()).TrySetResult();

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> with <paramref name="describe"/>'s text otherwise.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {timeout}: {describe()}");
            }
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>For state that lives in the cluster and has no signal a test can subscribe to: re-check on a short interval until a deadline.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout}: {describe(value)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }
    }
}
