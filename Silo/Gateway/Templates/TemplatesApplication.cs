using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Templates;

/// <summary>
/// Templates behind both surfaces: the admin operations (list, get, create, update, delete, preview) and the sends by
/// template. Every rule about a template or a send is the grains' (<c>TemplateValidator</c>, <c>TemplateSendPlanner</c>);
/// this only refuses a code that cannot name a grain and turns "nothing there" into NotFound.
/// </summary>
public sealed class TemplatesApplication(IGrainFactory grains, GatewayRateLimits limits, GatewayKeyRing keys)
{
    public Task<IReadOnlyList<TemplateSummary>> ListAsync() => grains.GetGrain<ITemplateIndexGrain>(TemplateKeys.Index).ListAsync();

    public async Task<TemplateRecord> GetAsync(string templateCode) =>
        await Template(templateCode).GetAsync() ?? throw NoTemplate(templateCode);

    public Task<TemplateRecord> CreateAsync(NotifyTemplate template) => Template(template.TemplateCode).CreateAsync(template);

    /// <summary>Replaces the template stored under <paramref name="templateCode"/>; the grain refuses a body naming another code.</summary>
    public Task<TemplateRecord> UpdateAsync(string templateCode, NotifyTemplate template, long? expectedVersion) =>
        Template(templateCode).UpdateAsync(template, expectedVersion);

    public async Task DeleteAsync(string templateCode)
    {
        if (!await Template(templateCode).DeleteAsync())
        {
            throw NoTemplate(templateCode);
        }
    }

    public Task<TemplatePreview> PreviewAsync(string templateCode, IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams, IReadOnlyList<NotifyChannel> channels) =>
        Template(templateCode).PreviewAsync(titleParams, bodyParams, channels);

    /// <summary>
    /// Returns once every channel's message is durably recorded. The caller's key binds the source, as on channel
    /// sends, so a key's request ids stay its own.
    /// Each costs the key one token per delivery (receivers, cc and bcc, times the channels) before it is accepted.
    /// </summary>
    public async Task<TemplateSendResult> SendAsync(TemplateSendRequest request, GatewayCaller caller)
    {
        var bound = request with { Source = caller.BindSource(request.Source) };
        await limits.TakeDeliveriesAsync(caller, (request.Receivers.Count + request.Cc.Count + request.Bcc.Count) * Math.Max(1, request.NotifyTypes.Count), keys);
        return await Sender.SendAsync(bound);
    }

    public async Task<TemplateSendResult> SendBuildNotifyAsync(BuildRef build, BuildNotifyRequest request, GatewayCaller caller)
    {
        var bound = request with { Source = caller.BindSource(request.Source) };
        await limits.TakeDeliveriesAsync(caller, request.Receivers.Count * Math.Max(1, request.NotifyTypes.Count), keys);
        return await Sender.SendBuildNotifyAsync(build, bound);
    }

    private ITemplateSendGrain Sender => grains.GetGrain<ITemplateSendGrain>(0);

    /// <summary>The template's grain; a code that is blank or too long to be one is refused before any grain is addressed.</summary>
    private ITemplateGrain Template(string? templateCode)
    {
        if (string.IsNullOrWhiteSpace(templateCode))
        {
            throw NotifyRequestException.Invalid("templateCode", "is required");
        }

        if (templateCode.Trim().Length > TemplateLimits.MaxCodeLength || templateCode.Any(char.IsControl))
        {
            throw NotifyRequestException.Invalid("templateCode", $"must be at most {TemplateLimits.MaxCodeLength} printable characters");
        }

        return grains.GetGrain<ITemplateGrain>(TemplateKeys.Template(templateCode));
    }

    private static NotifyRequestException NoTemplate(string templateCode) =>
        NotifyRequestException.NotFound("templateCode", $"no template {TemplateKeys.Normalize(templateCode)}");
}
