using Notify.Grains.Records;
using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Receivers;

/// <summary>One receiver on one channel: its recently sent content hashes. The grain turn makes check-and-reserve atomic.</summary>
public sealed class FrequencyLimitGrain(
    [PersistentState(GrainStateRetention.FrequencyLimitState, NotifyStorage.Name)] IPersistentState<FrequencyLimitState> state,
    TimeProvider time) : Grain, IFrequencyLimitGrain
{
    public async Task<FrequencyDecision> TryReserveAsync(string contentHash, int windowMinutes, string messageId)
    {
        var (decision, changed) = FrequencyWindow.Decide(state.State, contentHash, TimeSpan.FromMinutes(windowMinutes), messageId, time.GetUtcNow());
        if (changed)
        {
            await state.WriteOrDeactivateAsync(this);
        }

        return decision;
    }

    public async Task ReleaseAsync(string contentHash, string messageId)
    {
        if (FrequencyWindow.Release(state.State, contentHash, messageId))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }
}
