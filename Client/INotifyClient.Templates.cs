using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Client;

/// <summary>
/// Templates: the admin operations and the sends by template. The cluster validates templates and sends (the validator
/// lives with the grains), so an invalid one comes back as a <see cref="NotifyRequestException"/> naming the fields.
/// </summary>
public partial interface INotifyClient
{
    /// <summary>Every template, sorted by code.</summary>
    Task<IReadOnlyList<TemplateSummary>> ListTemplatesAsync();

    /// <summary>The template, or null when there is none with that code (codes compare case-insensitively).</summary>
    Task<TemplateRecord?> GetTemplateAsync(string templateCode);

    /// <summary>Stores a new template; Conflict when the code exists, Invalid (with line and column) when it does not parse.</summary>
    Task<TemplateRecord> CreateTemplateAsync(NotifyTemplate template);

    /// <summary>
    /// Replaces the template named by <paramref name="template"/>'s code; NotFound when there is none, Conflict when
    /// <paramref name="expectedVersion"/> is given and the template has moved on.
    /// </summary>
    Task<TemplateRecord> UpdateTemplateAsync(NotifyTemplate template, long? expectedVersion = null);

    /// <summary>True when there was a template to delete.</summary>
    Task<bool> DeleteTemplateAsync(string templateCode);

    /// <summary>Renders without sending: every channel in scope (or <paramref name="channels"/>), with the variables used and missing.</summary>
    Task<TemplatePreview> PreviewTemplateAsync(
        string templateCode,
        IReadOnlyDictionary<string, string> titleParams,
        IReadOnlyDictionary<string, string> bodyParams,
        IReadOnlyList<NotifyChannel>? channels = null);

    /// <summary>Renders the template and submits one message per channel; returns once every message is durably recorded.</summary>
    Task<TemplateSendResult> SendByTemplateAsync(TemplateSendRequest request);

    /// <summary>BK-CI's build notify: the template <c>BUILD_{status}</c> (or the request's code) with the build's path values.</summary>
    Task<TemplateSendResult> SendBuildNotifyAsync(BuildRef build, BuildNotifyRequest request);
}
