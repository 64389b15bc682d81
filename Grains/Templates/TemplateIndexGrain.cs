using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>
/// The template list and the seeding memory, in one small grain off the send path (sends go straight to a template's grain).
/// A built-in is seeded only if its code was never seeded before: an operator's edit survives because an existing template is
/// never overwritten, and a delete survives because the code stays in <see cref="TemplateIndexState.SeededBuiltIns"/>.
/// </summary>
public sealed partial class TemplateIndexGrain(
    [PersistentState("template-index", NotifyStorage.Name)] IPersistentState<TemplateIndexState> state,
    ILogger<TemplateIndexGrain> logger) : Grain, ITemplateIndexGrain
{
    public Task<IReadOnlyList<TemplateSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<TemplateSummary>>(state.State.Templates.Values.OrderBy(t => t.TemplateCode, StringComparer.Ordinal).ToArray());

    public async Task UpsertAsync(TemplateSummary summary)
    {
        // A retried create re-lists the same version: no write needed then.
        if (state.State.Templates.GetValueOrDefault(summary.TemplateCode) is not { } listed || listed.Version != summary.Version || listed.UpdatedAt != summary.UpdatedAt)
        {
            state.State.Templates[summary.TemplateCode] = summary;
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task RemoveAsync(string templateCode)
    {
        if (state.State.Templates.Remove(TemplateKeys.Normalize(templateCode)))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task<IReadOnlyList<string>> SeedBuiltInsAsync()
    {
        var pending = BuiltInTemplates.All.Where(b => !state.State.SeededBuiltIns.Contains(b.TemplateCode)).ToArray();
        var created = new List<string>();
        foreach (var builtIn in pending)
        {
            var grain = GrainFactory.GetGrain<ITemplateGrain>(TemplateKeys.Template(builtIn.TemplateCode));
            var seeded = await grain.SeedAsync(builtIn);
            // Null when the code exists already: created by an operator, or seeded by a run whose index write failed.
            if ((seeded ?? await grain.GetAsync()) is { } record)
            {
                state.State.Templates[record.Template.TemplateCode] = TemplateSummary.From(record);
            }

            if (seeded is not null)
            {
                created.Add(builtIn.TemplateCode);
            }

            state.State.SeededBuiltIns.Add(builtIn.TemplateCode);
        }

        if (pending.Length > 0)
        {
            await state.WriteOrDeactivateAsync(this);
        }

        if (created.Count > 0)
        {
            LogSeeded(created.Count, string.Join(", ", created));
        }

        return created;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} built-in template(s): {Codes}")]
    private partial void LogSeeded(int count, string codes);
}

[GenerateSerializer, Alias("notify.TemplateIndexState")]
public sealed class TemplateIndexState
{
    [Id(0)] public Dictionary<string, TemplateSummary> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Built-in codes seeded at some point; never removed, so a deleted built-in stays deleted.</summary>
    [Id(1)] public HashSet<string> SeededBuiltIns { get; set; } = new(StringComparer.Ordinal);
}
