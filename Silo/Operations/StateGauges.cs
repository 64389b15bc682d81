using System.Diagnostics.Metrics;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Actions;
using Notify.Grains.Records;
using Notify.Grains.Telemetry;

namespace Notify.Silo.Operations;

/// <summary>
/// Counts what the cluster holds, every <see cref="Period"/>, for the gauges <c>notify_messages_pending</c> and
/// <c>notify_action_instances</c>: computed from state (one query on the in-flight index, one call per action list
/// shard), never from increments that drift when grains move. A scrape reads the last count; a count that failed (the
/// silo is starting, the store is down) keeps the previous one, and a log line says why.
/// </summary>
public sealed partial class StateGauges(
    IMessageRecordStore store,
    IGrainFactory grains,
    NotifyMetrics metrics,
    ILogger<StateGauges> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    private volatile IReadOnlyDictionary<MessageStatus, long> _pending = new Dictionary<MessageStatus, long>();
    private volatile IReadOnlyDictionary<ActionStatus, int> _actions = new Dictionary<ActionStatus, int>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.ObserveState(
            () => new[] { MessageStatus.Pending, MessageStatus.Sending, MessageStatus.Retrying }
                .Select(s => new Measurement<long>(_pending.GetValueOrDefault(s), new KeyValuePair<string, object?>("status", s.WireName()))),
            () => Enum.GetValues<ActionStatus>()
                .Select(s => new Measurement<long>(_actions.GetValueOrDefault(s), new KeyValuePair<string, object?>("status", s.WireName()))));
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                _pending = await store.CountInFlightAsync(stoppingToken);
                _actions = await ActionListing.CountByStatusAsync(grains);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCountFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "State gauges: counting messages in flight or action instances failed; the last counts stay")]
    private partial void LogCountFailed(Exception exception);
}
