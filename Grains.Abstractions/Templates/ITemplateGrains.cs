using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Templates;

/// <summary>Template grain keys: <c>tpl:</c> plus the upper-cased code (a non-hex prefix; codes cannot contain '+').</summary>
public static class TemplateKeys
{
    public const string Index = "tpl-index";

    public static string Template(string templateCode) => "tpl:" + Normalize(templateCode);

    /// <summary>Template codes compare case-insensitively and are stored upper-case (BK-CI's convention).</summary>
    public static string Normalize(string templateCode) => templateCode.Trim().ToUpperInvariant();
}

/// <summary>One durable template (<see cref="TemplateKeys.Template"/>): the admin API's create/update/delete/get and preview.</summary>
[Alias("notify.ITemplateGrain")]
public interface ITemplateGrain : IGrainWithStringKey
{
    /// <summary>Stores a new template; <see cref="RequestErrorKind.Conflict"/> when the code exists, <see cref="RequestErrorKind.Invalid"/> for a bad one.</summary>
    [Alias("Create")]
    Task<TemplateRecord> CreateAsync(NotifyTemplate template);

    /// <summary>
    /// Replaces the template; <see cref="RequestErrorKind.NotFound"/> when there is none. With <paramref name="expectedVersion"/>,
    /// refuses (Conflict) when someone else changed it first.
    /// </summary>
    [Alias("Update")]
    Task<TemplateRecord> UpdateAsync(NotifyTemplate template, long? expectedVersion = null);

    /// <summary>True when there was a template to delete. A deleted built-in is not seeded again.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<TemplateRecord?> GetAsync();

    /// <summary>Renders every channel in scope (or <paramref name="channels"/>) without sending; reports used and missing variables.</summary>
    [Alias("Preview"), Orleans.Concurrency.ReadOnly]
    Task<TemplatePreview> PreviewAsync(IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams, IReadOnlyList<NotifyChannel>? channels = null);

    /// <summary>Creates the template as a built-in unless the code exists; the new record, or null when it existed.</summary>
    /// <remarks>Called by the index grain while seeding, so it does not call the index back.</remarks>
    [Alias("Seed")]
    Task<TemplateRecord?> SeedAsync(NotifyTemplate builtIn);
}

/// <summary>
/// The list of template codes (<see cref="TemplateKeys.Index"/>) and the memory of which built-ins were ever seeded. Only
/// the admin path and start-up touch it; sends go straight to the template's own grain.
/// </summary>
[Alias("notify.ITemplateIndexGrain")]
public interface ITemplateIndexGrain : IGrainWithStringKey
{
    [Alias("List"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<TemplateSummary>> ListAsync();

    [Alias("Upsert")]
    Task UpsertAsync(TemplateSummary summary);

    [Alias("Remove")]
    Task RemoveAsync(string templateCode);

    /// <summary>Creates each built-in that was never seeded before; returns the codes created now.</summary>
    [Alias("SeedBuiltIns")]
    Task<IReadOnlyList<string>> SeedBuiltInsAsync();
}

/// <summary>
/// Sends by template (stateless, local to the caller's silo): fetches the template, renders it with the silo's parsed-template
/// cache, fits each channel's limits and submits one message per channel through <see cref="Grains.INotifyGrain"/>.
/// </summary>
[Alias("notify.ITemplateSendGrain")]
public interface ITemplateSendGrain : IGrainWithIntegerKey
{
    /// <summary><c>POST /service/notify/template/send</c>.</summary>
    [Alias("Send")]
    Task<TemplateSendResult> SendAsync(TemplateSendRequest request);

    /// <summary><c>POST /build/notify/projects/{projectId}/pipelines/{pipelineId}/builds/{buildId}/send</c>.</summary>
    [Alias("SendBuildNotify")]
    Task<TemplateSendResult> SendBuildNotifyAsync(BuildRef build, BuildNotifyRequest request);

    /// <summary>
    /// Renders <paramref name="templateCode"/> for one channel with one parameter map (title and body alike), fitted to the
    /// channel's limits, without sending: the seam for action-instance notices.
    /// </summary>
    [Alias("Render")]
    Task<RenderedContent> RenderAsync(string templateCode, NotifyChannel channel, IReadOnlyDictionary<string, string> parameters);
}
