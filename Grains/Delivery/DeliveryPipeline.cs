namespace Notify.Grains.Delivery;

/// <summary>
/// The delivery stages in order: resolve → blacklist → frequency limit → send. Each removes the receivers it stops;
/// the pipeline ends early when none are left. Recording is the message grain's write after the pipeline.
/// </summary>
public sealed class DeliveryPipeline(
    ResolveReceiversStage resolve,
    BlacklistStage blacklist,
    FrequencyLimitStage frequencyLimit,
    SendStage send)
{
    private readonly IDeliveryStage[] _stages = [resolve, blacklist, frequencyLimit, send];

    public FrequencyLimitStage FrequencyLimit { get; } = frequencyLimit;

    public async Task RunAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        var remaining = receivers;
        foreach (var stage in _stages)
        {
            if (remaining.Count == 0)
            {
                return;
            }

            remaining = await stage.ExecAsync(context, remaining, cancellationToken);
        }
    }
}
