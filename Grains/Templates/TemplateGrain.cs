using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>One durable template (<see cref="TemplateKeys.Template"/>): storage, versioning and preview.</summary>
public sealed partial class TemplateGrain(
    [PersistentState("template", NotifyStorage.Name)] IPersistentState<TemplateState> state,
    TemplateRenderer renderer,
    TimeProvider time,
    ILogger<TemplateGrain> logger) : Grain, ITemplateGrain
{
    public async Task<TemplateRecord> CreateAsync(NotifyTemplate template)
    {
        var valid = EnsureValidForThisGrain(template);
        if (state.State.Record is { } existing)
        {
            // A create that stored the template but failed to list it is healed by the caller's retry.
            await Index.UpsertAsync(TemplateSummary.From(existing));
            throw NotifyRequestException.Conflict("templateCode", $"template {valid.TemplateCode} already exists");
        }

        var record = await StoreAsync(valid, createdAt: null, builtIn: false);
        await Index.UpsertAsync(TemplateSummary.From(record));
        LogChanged(record.Template.TemplateCode, record.Version, "created");
        return record;
    }

    public async Task<TemplateRecord> UpdateAsync(NotifyTemplate template, long? expectedVersion = null)
    {
        var valid = EnsureValidForThisGrain(template);
        var existing = state.State.Record ?? throw NotifyRequestException.NotFound("templateCode", $"no template {valid.TemplateCode}");
        if (expectedVersion is { } expected && expected != existing.Version)
        {
            throw NotifyRequestException.Conflict("version", $"template {valid.TemplateCode} is at version {existing.Version}, not {expected}");
        }

        var record = await StoreAsync(valid, existing.CreatedAt, existing.BuiltIn);
        await Index.UpsertAsync(TemplateSummary.From(record));
        LogChanged(record.Template.TemplateCode, record.Version, "updated");
        return record;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Record is not { } existing)
        {
            return false;
        }

        state.State.Record = null;
        await state.WriteOrDeactivateAsync(this);
        await Index.RemoveAsync(existing.Template.TemplateCode);
        LogChanged(existing.Template.TemplateCode, existing.Version, "deleted");
        return true;
    }

    public Task<TemplateRecord?> GetAsync() => Task.FromResult(state.State.Record);

    public Task<TemplatePreview> PreviewAsync(IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams, IReadOnlyList<NotifyChannel>? channels = null)
    {
        var record = state.State.Record ?? throw NotifyRequestException.NotFound("templateCode", $"no template {CodeFromKey()}");
        titleParams ??= new Dictionary<string, string>();
        bodyParams ??= new Dictionary<string, string>();
        var template = record.Template;
        var selected = TemplateSendPlanner.Channels(template, channels ?? []);
        var paramErrors = TemplateSendPlanner.CheckParams(template with { RequiredParams = [] }, titleParams, bodyParams);
        if (paramErrors.Count > 0)
        {
            throw NotifyRequestException.Invalid(paramErrors);
        }

        var rendered = selected.Select(channel => TemplateRendering.RenderOrRefuse(renderer, record, channel, titleParams, bodyParams)).ToArray();
        return Task.FromResult(new TemplatePreview(
            template.TemplateCode,
            record.Version,
            rendered,
            rendered.SelectMany(r => r.VariablesUsed).Distinct().Order(StringComparer.Ordinal).ToArray(),
            rendered.SelectMany(r => r.MissingVariables).Distinct().Order(StringComparer.Ordinal).ToArray(),
            TemplateSendPlanner.MissingRequired(template, titleParams, bodyParams)));
    }

    public async Task<TemplateRecord?> SeedAsync(NotifyTemplate builtIn)
    {
        if (state.State.Record is not null)
        {
            return null;
        }

        var record = await StoreAsync(EnsureValidForThisGrain(builtIn), createdAt: null, builtIn: true);
        LogChanged(record.Template.TemplateCode, record.Version, "seeded");
        return record;
    }

    private async Task<TemplateRecord> StoreAsync(NotifyTemplate template, DateTimeOffset? createdAt, bool builtIn)
    {
        var now = time.GetUtcNow();
        // Versions keep counting across delete and re-create, so (code, version) never names two different contents.
        state.State.LastVersion++;
        state.State.Record = new TemplateRecord(template, state.State.LastVersion, createdAt ?? now, now, builtIn);
        await state.WriteOrDeactivateAsync(this);
        return state.State.Record;
    }

    private NotifyTemplate EnsureValidForThisGrain(NotifyTemplate template)
    {
        var valid = TemplateValidator.EnsureValid(template);
        return TemplateKeys.Template(valid.TemplateCode) == this.GetPrimaryKeyString()
            ? valid
            : throw NotifyRequestException.Invalid("templateCode", $"'{valid.TemplateCode}' does not match the template being written ({CodeFromKey()})");
    }

    private string CodeFromKey() => this.GetPrimaryKeyString()["tpl:".Length..];

    private ITemplateIndexGrain Index => GrainFactory.GetGrain<ITemplateIndexGrain>(TemplateKeys.Index);

    [LoggerMessage(Level = LogLevel.Information, Message = "Template {TemplateCode} {Change} (version {Version})")]
    private partial void LogChanged(string templateCode, long version, string change);
}

[GenerateSerializer, Alias("notify.TemplateState")]
public sealed class TemplateState
{
    [Id(0)] public TemplateRecord? Record { get; set; }

    /// <summary>The last version ever stored under this code, kept when the template is deleted.</summary>
    [Id(1)] public long LastVersion { get; set; }
}

/// <summary>Rendering for grains: a render failure is the caller's 400, naming the template part.</summary>
internal static class TemplateRendering
{
    public static RenderedContent RenderOrRefuse(TemplateRenderer renderer, TemplateRecord record, NotifyChannel channel, IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams)
    {
        try
        {
            return renderer.RenderChannel(record, channel, titleParams, bodyParams);
        }
        catch (TemplateRenderException exception)
        {
            throw NotifyRequestException.Invalid(exception.Field, $"template {record.Template.TemplateCode} {exception.Reason}");
        }
    }
}
