using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Records;

namespace Notify.UnitTests.Records;

public sealed class GrainStateRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Due_IdempotencyKeysAfterTheirWindow_FrequencyLimitsAfterTheLongestWindowAMessageMayAskFor_AttentionBudgetsAfterAWeek()
    {
        var due = GrainStateRetention.Due(Now, TimeSpan.FromHours(24));

        Assert.Equal(
            [
                new ExpiredStates("idempotency-key", "idempotency_keys", Now.AddHours(-24)),
                new ExpiredStates("frequency-limit", "frequency_limits", Now.AddMinutes(-NotifyLimits.MaxFrequencyLimitMinutes)),
                new ExpiredStates("attention", "attention_budgets", Now.AddDays(-7)),
            ],
            due);
    }
}
