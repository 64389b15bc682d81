namespace Notify.Grains.Attention;

/// <summary>
/// At most <see cref="Budgets"/>[channel] immediate notices per person per <see cref="Window"/>; a channel not
/// listed is unlimited. Alert levels at or below <see cref="CriticalLevel"/> (bk-monitor: 1 = fatal) always go out.
/// </summary>
public sealed record AttentionBudgetPolicy(TimeSpan Window, IReadOnlyDictionary<string, int> Budgets, int CriticalLevel);
