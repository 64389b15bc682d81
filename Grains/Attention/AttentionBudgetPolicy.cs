namespace Notify.Grains.Attention;

/// <summary>
/// At most <see cref="Budgets"/>[channel] immediate notices per person per <see cref="Window"/>; a channel not
/// listed is unlimited. Alert levels at or below <see cref="CriticalLevel"/> (bk-monitor: 1 = fatal) always go out.
/// </summary>
public sealed record AttentionBudgetPolicy
{
    public AttentionBudgetPolicy(TimeSpan window, IReadOnlyDictionary<string, int> budgets, int criticalLevel)
    {
        // A digest is due when the oldest counted notice leaves the window: that needs a positive window and at least
        // one notice of budget (a channel nobody may be interrupted on is not a budget but a mute).
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        foreach (var (channel, budget) in budgets)
        {
            if (budget < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(budgets), budget, $"the budget of channel '{channel}' must be at least 1");
            }
        }

        Window = window;
        Budgets = budgets;
        CriticalLevel = criticalLevel;
    }

    public TimeSpan Window { get; }

    public IReadOnlyDictionary<string, int> Budgets { get; }

    public int CriticalLevel { get; }
}
