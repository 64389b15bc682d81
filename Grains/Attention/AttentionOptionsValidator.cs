using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;

namespace Notify.Grains.Attention;

/// <summary>Checks <c>Notify:Attention</c> at start, naming every wrong key and what it must be.</summary>
internal sealed class AttentionOptionsValidator : IValidateOptions<AttentionOptions>
{
    private const string Section = AttentionOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AttentionOptions options)
    {
        var failures = new List<string>();
        if (options.Window < AttentionOptions.MinWindow || options.Window > AttentionOptions.MaxWindow)
        {
            failures.Add($"{Section}:Window must be between {AttentionOptions.MinWindow} and {AttentionOptions.MaxWindow} (was {options.Window}).");
        }

        CheckBudget($"{Section}:Budget", options.Budget, failures);
        foreach (var (channel, budget) in options.Budgets)
        {
            if (!NotifyChannels.TryParse(channel, out _))
            {
                failures.Add($"{Section}:Budgets:{channel} names no channel; use one of {string.Join(", ", NotifyChannels.All.Select(c => c.Name()))}.");
            }

            CheckBudget($"{Section}:Budgets:{channel}", budget, failures);
        }

        if (options.CriticalLevel < 0)
        {
            failures.Add($"{Section}:CriticalLevel must be 0 or more (was {options.CriticalLevel}); alert levels start at 1 (fatal).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckBudget(string key, int budget, List<string> failures)
    {
        // A budget of 0 would mute a channel rather than limit it; the planner needs one notice to time a digest by.
        if (budget < 1)
        {
            failures.Add($"{key} must be at least 1 notice per window (was {budget}).");
        }
    }
}
