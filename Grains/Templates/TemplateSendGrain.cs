using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Orleans.Concurrency;

namespace Notify.Grains.Templates;

/// <summary>
/// Sends by template, on the caller's silo: reads the template from its grain (a read-only call, so a hot template is not a
/// bottleneck), renders with this silo's parsed-template cache, and submits one message per channel through
/// <see cref="INotifyGrain"/> so validation, blacklist, frequency limit and records apply as to any message.
/// </summary>
[StatelessWorker]
public sealed class TemplateSendGrain(TemplateRenderer renderer) : Grain, ITemplateSendGrain
{
    public async Task<TemplateSendResult> SendAsync(TemplateSendRequest request)
    {
        var record = await FindAsync(request.TemplateCode);
        var template = record.Template;
        var titleParams = request.TitleParams ?? new Dictionary<string, string>();
        var bodyParams = request.BodyParams ?? new Dictionary<string, string>();
        var channels = TemplateSendPlanner.Channels(template, request.NotifyTypes ?? []);
        var paramErrors = TemplateSendPlanner.CheckParams(template, titleParams, bodyParams);
        if (paramErrors.Count > 0)
        {
            throw NotifyRequestException.Invalid(paramErrors);
        }

        var planned = channels
            .Select(channel => TemplateRendering.RenderOrRefuse(renderer, record, channel, titleParams, bodyParams))
            .Select(content => (Content: content, Message: NotifyMessageValidator.Trim(TemplateSendPlanner.Message(content, template, request))))
            .ToArray();

        // Every channel's message is checked before any is submitted, so a bad receiver for one channel sends nothing.
        var errors = planned
            .SelectMany(p => NotifyMessageValidator.Validate(p.Message).Select(e => new FieldError($"{p.Message.Channel.Name()}.{e.Field}", e.Reason)))
            .ToArray();
        if (errors.Length > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        var notify = GrainFactory.GetGrain<INotifyGrain>(0);
        var results = new List<ChannelSendResult>();
        foreach (var (content, message) in planned)
        {
            var requestId = request.RequestId is { } id ? $"{id}/{content.Channel.Name()}" : null;
            var submitted = await notify.SubmitAsync(message, requestId);
            results.Add(new ChannelSendResult(content.Channel, submitted.MessageId, submitted.Replayed, content.Adjustments, content.MissingVariables));
        }

        return new TemplateSendResult(template.TemplateCode, results);
    }

    public Task<TemplateSendResult> SendBuildNotifyAsync(BuildRef build, BuildNotifyRequest request) =>
        SendAsync(TemplateSendPlanner.BuildNotify(build, request));

    public async Task<RenderedContent> RenderAsync(string templateCode, NotifyChannel channel, IReadOnlyDictionary<string, string> parameters)
    {
        var record = await FindAsync(templateCode);
        parameters ??= new Dictionary<string, string>();
        TemplateSendPlanner.Channels(record.Template, [channel]);
        var errors = TemplateSendPlanner.CheckParams(record.Template, parameters, new Dictionary<string, string>());
        return errors.Count > 0
            ? throw NotifyRequestException.Invalid(errors)
            : TemplateRendering.RenderOrRefuse(renderer, record, channel, parameters, parameters);
    }

    private async Task<TemplateRecord> FindAsync(string? templateCode)
    {
        if (string.IsNullOrWhiteSpace(templateCode))
        {
            throw NotifyRequestException.Invalid("templateCode", "is required");
        }

        if (templateCode.Length > TemplateLimits.MaxCodeLength || templateCode.Any(char.IsControl))
        {
            throw NotifyRequestException.Invalid("templateCode", $"must be at most {TemplateLimits.MaxCodeLength} printable characters");
        }

        // Invalid, not NotFound: the template is a field of the send request, and the send path itself exists (HTTP 400, not 404).
        return await GrainFactory.GetGrain<ITemplateGrain>(TemplateKeys.Template(templateCode)).GetAsync()
            ?? throw NotifyRequestException.Invalid("templateCode", $"no template {TemplateKeys.Normalize(templateCode)}");
    }
}
