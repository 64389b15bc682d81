namespace Notify.Grains.Delivery;

/// <summary>
/// One attempt of one message, every step of it: resolve → blacklist → frequency limit → attention budget → send, each removing the
/// receivers it stops (the sending part ends early when none are left); then the outcome: the retry rules judge every
/// receiver that failed, at whichever stage, and the reservations of those that failed for good are released. The
/// message grain records what the attempt did afterwards.
/// </summary>
public sealed class DeliveryPipeline(
    ResolveReceiversStage resolve,
    BlacklistStage blacklist,
    FrequencyLimitStage frequencyLimit,
    AttentionStage attention,
    SendStage send,
    RetryRulesStage retryRules,
    ReleaseReservationStage releaseReservation)
{
    private readonly IDeliveryStage[] _sending = [resolve, blacklist, frequencyLimit, attention, send];

    public async Task<AttemptResult> RunAsync(DeliveryContext context, IReadOnlyList<PendingReceiver> receivers, CancellationToken cancellationToken)
    {
        var remaining = receivers;
        foreach (var stage in _sending)
        {
            if (remaining.Count == 0)
            {
                break;
            }

            remaining = await stage.ExecAsync(context, remaining, cancellationToken);
        }

        var failed = receivers.Where(r => r.Failure is not null).ToList();
        var failedForGood = await retryRules.ExecAsync(context, failed, cancellationToken);
        await releaseReservation.ExecAsync(context, failedForGood, cancellationToken);
        return new AttemptResult(failed.Any(r => r.Failure!.OutcomeUnknown), failed.Max(r => r.Failure!.RetryAfter));
    }
}

/// <summary>What the record needs from an attempt beyond its receivers' outcomes.</summary>
/// <param name="OutcomeUnknown">A delivery got no answer after the provider had it: the provider may have sent it.</param>
/// <param name="RetryAfter">The longest wait a provider asked for, if any did.</param>
public sealed record AttemptResult(bool OutcomeUnknown, TimeSpan? RetryAfter);
