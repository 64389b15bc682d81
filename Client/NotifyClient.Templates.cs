using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Client;

/// <summary>Templates over Orleans: the admin calls go to the template's own grain, sends to the stateless send grain.</summary>
public sealed partial class NotifyClient
{
    public Task<IReadOnlyList<TemplateSummary>> ListTemplatesAsync() => cluster.GetGrain<ITemplateIndexGrain>(TemplateKeys.Index).ListAsync();

    public Task<TemplateRecord?> GetTemplateAsync(string templateCode) => TemplateGrain(templateCode).GetAsync();

    public Task<TemplateRecord> CreateTemplateAsync(NotifyTemplate template) => TemplateGrain(template.TemplateCode).CreateAsync(template);

    public Task<TemplateRecord> UpdateTemplateAsync(NotifyTemplate template, long? expectedVersion = null) =>
        TemplateGrain(template.TemplateCode).UpdateAsync(template, expectedVersion);

    public Task<bool> DeleteTemplateAsync(string templateCode) => TemplateGrain(templateCode).DeleteAsync();

    public Task<TemplatePreview> PreviewTemplateAsync(
        string templateCode,
        IReadOnlyDictionary<string, string> titleParams,
        IReadOnlyDictionary<string, string> bodyParams,
        IReadOnlyList<NotifyChannel>? channels = null) =>
        TemplateGrain(templateCode).PreviewAsync(titleParams, bodyParams, channels);

    public Task<TemplateSendResult> SendByTemplateAsync(TemplateSendRequest request) => TemplateSender.SendAsync(request);

    public Task<TemplateSendResult> SendBuildNotifyAsync(BuildRef build, BuildNotifyRequest request) => TemplateSender.SendBuildNotifyAsync(build, request);

    private ITemplateSendGrain TemplateSender => cluster.GetGrain<ITemplateSendGrain>(0);

    /// <summary>A code that is blank or too long to be one is refused before any grain is addressed.</summary>
    private ITemplateGrain TemplateGrain(string? templateCode) =>
        string.IsNullOrWhiteSpace(templateCode) ? throw NotifyRequestException.Invalid("templateCode", "is required")
        : templateCode.Trim().Length > TemplateLimits.MaxCodeLength || templateCode.Any(char.IsControl)
            ? throw NotifyRequestException.Invalid("templateCode", $"must be at most {TemplateLimits.MaxCodeLength} printable characters")
            : cluster.GetGrain<ITemplateGrain>(TemplateKeys.Template(templateCode));
}
