using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Receivers;

/// <summary>
/// This silo's copy of the blacklist, read on every delivery without a grain call. The blacklist grain pushes each
/// change (and waits for the push); a refresh loop re-subscribes and re-reads the version as a safety net.
/// </summary>
public sealed partial class BlacklistCache(
    IGrainFactory grainFactory,
    TimeProvider time,
    ILogger<BlacklistCache> logger) : IBlacklistObserver, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private volatile BlacklistSnapshot? _snapshot;
    private IBlacklistObserver? _reference;
    private Task? _refreshLoop;

    private IBlacklistGrain Grain => grainFactory.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);

    public async ValueTask<BlacklistSnapshot> GetAsync()
    {
        if (_snapshot is { } snapshot)
        {
            return snapshot;
        }

        Accept(await Grain.GetAsync());
        return _snapshot!;
    }

    public Task OnBlacklistChangedAsync(BlacklistSnapshot snapshot)
    {
        Accept(snapshot);
        return Task.CompletedTask;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BlacklistCache), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grainFactory.CreateObjectReference<IBlacklistObserver>(this);
        await RefreshAsync();
        _refreshLoop = RefreshLoopAsync(_stopping.Token);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_refreshLoop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_reference is { } reference)
        {
            grainFactory.DeleteObjectReference<IBlacklistObserver>(reference);
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await RefreshAsync();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRefreshFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Silo stopping.
        }
    }

    private async Task RefreshAsync()
    {
        var grain = Grain;
        await grain.SubscribeAsync(_reference!);
        Accept(await grain.GetAsync());
    }

    private void Accept(BlacklistSnapshot snapshot)
    {
        // Pushes and refreshes can cross; never go back to an older version.
        while (true)
        {
            var current = _snapshot;
            if (current is not null && current.Version >= snapshot.Version)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _snapshot, snapshot, current) == current)
            {
                return;
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the blacklist cache failed; keeping the last snapshot")]
    private partial void LogRefreshFailed(Exception exception);
}
