using System.Text.Json;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Templates;

/// <summary>
/// REST template bodies → the contract. Reads only what JSON alone can say (channel names, parameter value types, the
/// fields of each <c>contents</c> entry) and reports every such error at once; every rule about the values is the grains'.
/// </summary>
public static class TemplateBodyMapper
{
    /// <summary>The template in <paramref name="body"/>; on update its code defaults to the path's <paramref name="pathCode"/>.</summary>
    public static NotifyTemplate ToTemplate(TemplateBody body, string? pathCode = null)
    {
        var errors = new List<FieldError>();
        var scope = RequestFields.Collect(errors, () => TemplateWireNames.Channels(body.NotifyTypeScope, "notifyTypeScope"));
        var contents = new List<ChannelTemplate>();
        for (var i = 0; i < (body.Contents?.Count ?? 0); i++)
        {
            var field = $"contents[{i}]";
            if (RequestFields.Collect(errors, () => ReadEntry(body.Contents![i], field)) is { } entry
                && RequestFields.Collect(errors, () => ToChannelTemplate(entry, field)) is { } content)
            {
                contents.Add(content);
            }
        }

        RequestFields.ThrowIfAny(errors);
        return new NotifyTemplate
        {
            TemplateCode = body.TemplateCode ?? pathCode ?? "",
            TemplateName = body.TemplateName ?? "",
            NotifyTypeScope = scope!,
            Priority = WireEnums.Priority(body.Priority),
            Source = body.Source ?? "",
            RequiredParams = body.RequiredParams ?? [],
            Contents = contents,
        };
    }

    public static (IReadOnlyDictionary<string, string> Title, IReadOnlyDictionary<string, string> Body, IReadOnlyList<NotifyChannel> Channels) ToPreview(TemplatePreviewBody body) =>
        SendParts(body.TitleParams, body.BodyParams, body.NotifyType);

    /// <summary>
    /// The parameters and channels of a template send or preview (<c>titleParams</c>, <c>bodyParams</c>, <c>notifyType</c>),
    /// every bad field refused together.
    /// </summary>
    public static (IReadOnlyDictionary<string, string> Title, IReadOnlyDictionary<string, string> Body, IReadOnlyList<NotifyChannel> Channels) SendParts(
        Dictionary<string, JsonElement>? titleParams, Dictionary<string, JsonElement>? bodyParams, IReadOnlyList<string>? notifyType)
    {
        var errors = new List<FieldError>();
        var title = RequestFields.Collect(errors, () => Params(titleParams, "titleParams"));
        var body = RequestFields.Collect(errors, () => Params(bodyParams, "bodyParams"));
        var channels = RequestFields.Collect(errors, () => TemplateWireNames.Channels(notifyType, "notifyType"));
        RequestFields.ThrowIfAny(errors);
        return (title!, body!, channels!);
    }

    public static TemplateSendRequest ToRequest(TemplateSendBody body)
    {
        var (title, bodyParams, channels) = SendParts(body.TitleParams, body.BodyParams, body.NotifyType);
        return new TemplateSendRequest
        {
            TemplateCode = body.TemplateCode ?? "",
            Receivers = body.Receivers ?? [],
            Cc = body.Cc ?? [],
            Bcc = body.Bcc ?? [],
            TitleParams = title,
            BodyParams = bodyParams,
            NotifyTypes = channels,
            MentionedList = body.MentionedList ?? [],
            Source = body.Source ?? "",
            Sender = body.Sender ?? "",
            Priority = body.Priority is { } priority ? WireEnums.Priority(priority) : null,
            FrequencyLimitMinutes = body.FrequencyLimit ?? 0,
            DelaySeconds = body.DelaySeconds ?? RequestFields.DelayFromMilliseconds(body.DelayMills),
            FromSysId = body.FromSysId ?? "",
            TofSysId = body.TofSysId ?? "",
            RequestId = string.IsNullOrEmpty(body.RequestId) ? null : body.RequestId,
        };
    }

    public static BuildNotifyRequest ToRequest(BuildNotifyBody body)
    {
        var errors = new List<FieldError>();
        var parameters = RequestFields.Collect(errors, () => Params(body.Params, "params"));
        var channels = RequestFields.Collect(errors, () => TemplateWireNames.Channels(body.NotifyType, "notifyType"));
        RequestFields.ThrowIfAny(errors);
        return new BuildNotifyRequest
        {
            Receivers = body.Receivers ?? [],
            NotifyTypes = channels!,
            BuildStatus = body.BuildStatus ?? "",
            TemplateCode = body.TemplateCode ?? "",
            Params = parameters!,
            Cc = body.Cc ?? [],
            Source = body.Source ?? "",
            Sender = body.Sender ?? "",
            Priority = body.Priority is { } priority ? WireEnums.Priority(priority) : null,
            FrequencyLimitMinutes = body.FrequencyLimit ?? 0,
            RequestId = string.IsNullOrEmpty(body.RequestId) ? null : body.RequestId,
        };
    }

    /// <summary>
    /// A parameter map: strings as they are, numbers and booleans as their JSON text (BK-CI's Jackson takes
    /// <c>"buildNum": 100</c> for a string map too); null, objects and arrays are refused naming the parameter.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Params(Dictionary<string, JsonElement>? parameters, string field)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var (name, value) in parameters ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    values[name] = value.GetString()!;
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    values[name] = value.GetRawText();
                    break;
                default:
                    errors.Add(new FieldError($"{field}.{name}", "expected a string, number or boolean"));
                    break;
            }
        }

        RequestFields.ThrowIfAny(errors);
        return values;
    }

    private static ChannelTemplateBody ReadEntry(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw NotifyRequestException.Invalid(field, "expected an object");
        }

        ChannelTemplateBody entry;
        try
        {
            entry = element.Deserialize<ChannelTemplateBody>(GatewayJson.Options)!;
        }
        catch (JsonException exception)
        {
            // Every field of an entry is a string.
            var path = exception.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : "";
            throw NotifyRequestException.Invalid(path.Length > 0 ? $"{field}.{path}" : field, "expected a string");
        }

        return entry.UnknownFields is { Count: > 0 } unknown
            ? throw NotifyRequestException.Invalid(unknown.Keys.Select(name => new FieldError($"{field}.{name}", $"unknown field '{name}'")).ToArray())
            : entry;
    }

    private static ChannelTemplate ToChannelTemplate(ChannelTemplateBody entry, string field) => new()
    {
        Channel = TemplateWireNames.Channel(entry.Channel, $"{field}.channel"),
        Title = entry.Title ?? "",
        Body = entry.Body ?? "",
        Format = WireEnums.EmailFormat(entry.Format),
        MarkdownBody = entry.MarkdownBody ?? "",
    };
}
