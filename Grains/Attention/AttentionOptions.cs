using Notify.Grains.Abstractions;

namespace Notify.Grains.Attention;

/// <summary>The per-person attention budget for alert notices (<c>Notify:Attention</c>); off by default.</summary>
public sealed class AttentionOptions
{
    public const string SectionName = "Notify:Attention";

    public static readonly TimeSpan MinWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    /// <summary>
    /// When on, a person who has had a channel's budget of alert notices within the window gets further ones on that
    /// channel in one digest instead (critical alerts still go out at once). Messages that are not alert notices, and
    /// robot messages (to a chat, not a person), are never held. The default value is false.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>The sliding window the budgets count in. The default value is 10 minutes; between 1 minute and 1 day.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Immediate alert notices per person per channel per window, for every channel not in <see cref="Budgets"/>. The default value is 5.</summary>
    public int Budget { get; set; } = 5;

    /// <summary>A channel's own budget, by channel name (<c>Notify:Attention:Budgets:voice</c> = 2), in place of <see cref="Budget"/>.</summary>
    public Dictionary<string, int> Budgets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Alert levels at or below this one always go out at once (bk-monitor: 1 fatal, 2 warning, 3 remind). The default value is 1.</summary>
    public int CriticalLevel { get; set; } = 1;

    /// <summary>The planner's policy: a budget for every channel, keyed by channel name.</summary>
    public AttentionBudgetPolicy ToPolicy() => new(
        Window,
        NotifyChannels.All.ToDictionary(c => c.Name(), c => Budgets.TryGetValue(c.Name(), out var own) ? own : Budget),
        CriticalLevel);
}
