using System.Text.Json;
using System.Text.Json.Serialization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Client.Cli;

/// <summary>
/// A template as the CLI reads it (<c>templates create|update --file</c>) and prints it (<c>templates get --json</c>): the
/// JSON of <c>GET /op/notify/templates/{code}</c>, so a printed template can be edited and fed back. Channels are BK-CI's
/// NotifyType names (<c>EMAIL</c>, <c>RTX</c>, <c>WECHAT</c>, <c>SMS</c>, <c>VOICE</c>, <c>WEWORK</c>; <c>WEWORK_GROUP</c>
/// is read as <c>WEWORK</c>), formats <c>TEXT</c>/<c>HTML</c>, priority -1/0/1. <c>version</c> is the version read, and
/// an update uses it as the expected version; <c>createdAt</c>, <c>updatedAt</c> and <c>builtIn</c> are ignored when read.
/// </summary>
internal sealed record TemplateDocument
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web);

    public string? TemplateCode { get; init; }

    public string? TemplateName { get; init; }

    public List<string>? NotifyTypeScope { get; init; }

    public int? Priority { get; init; }

    public string? Source { get; init; }

    public List<string>? RequiredParams { get; init; }

    public List<ChannelTemplateDocument>? Contents { get; init; }

    public long? Version { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public bool? BuiltIn { get; init; }

    /// <summary>Fields this shape does not have: refused, so a misspelt field is never silently dropped.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    public static TemplateDocument From(TemplateRecord record) => new()
    {
        TemplateCode = record.Template.TemplateCode,
        TemplateName = record.Template.TemplateName,
        NotifyTypeScope = record.Template.NotifyTypeScope.Select(ChannelNames.Name).ToList(),
        Priority = (int)record.Template.Priority,
        Source = record.Template.Source,
        RequiredParams = [.. record.Template.RequiredParams],
        Contents = record.Template.Contents.Select(c => new ChannelTemplateDocument
        {
            Channel = ChannelNames.Name(c.Channel),
            Title = c.Title,
            Body = c.Body,
            Format = c.Format.ToString().ToUpperInvariant(),
            MarkdownBody = c.MarkdownBody,
        }).ToList(),
        Version = record.Version,
        CreatedAt = record.CreatedAt,
        UpdatedAt = record.UpdatedAt,
        BuiltIn = record.BuiltIn,
    };

    /// <summary>Reads a template file; anything JSON alone can tell is wrong is reported naming the field.</summary>
    public static TemplateDocument Read(string json)
    {
        TemplateDocument document;
        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw NotifyRequestException.Invalid("file", "must hold a JSON object");
            }

            try
            {
                document = parsed.RootElement.Deserialize<TemplateDocument>(ReadOptions)!;
            }
            catch (JsonException exception)
            {
                // The text parsed, so a value at exception.Path has the wrong type.
                var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "file";
                throw NotifyRequestException.Invalid(field, "has the wrong type (names and texts are strings, priority and version numbers, lists arrays)");
            }
        }
        catch (JsonException exception)
        {
            throw NotifyRequestException.Invalid("file", $"is not valid JSON (line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1})");
        }

        var unknown = (document.UnknownFields?.Keys.AsEnumerable() ?? [])
            .Concat((document.Contents ?? []).SelectMany((c, i) => c?.UnknownFields?.Keys.Select(name => $"contents[{i}].{name}") ?? []))
            .Select(field => new FieldError(field, $"unknown field '{field[(field.LastIndexOf('.') + 1)..]}'"))
            .ToArray();
        return unknown.Length > 0 ? throw NotifyRequestException.Invalid(unknown) : document;
    }

    /// <summary>The template, its code defaulting to <paramref name="code"/>; channel names that name nothing are refused here.</summary>
    public NotifyTemplate ToTemplate(string? code)
    {
        var errors = new List<FieldError>();
        var scope = ChannelNames.Parse(NotifyTypeScope ?? [], "notifyTypeScope", errors);
        var contents = new List<ChannelTemplate>();
        for (var i = 0; i < (Contents?.Count ?? 0); i++)
        {
            if (Contents![i] is not { } content)
            {
                errors.Add(new FieldError($"contents[{i}]", "expected an object"));
            }
            else if (ChannelNames.Parse(content.Channel, $"contents[{i}].channel", errors) is { } channel)
            {
                contents.Add(new ChannelTemplate
                {
                    Channel = channel,
                    Title = content.Title ?? "",
                    Body = content.Body ?? "",
                    Format = content.Format switch
                    {
                        null or "" => EmailFormat.Text,
                        var text when Enum.TryParse<EmailFormat>(text, ignoreCase: true, out var format) && Enum.IsDefined(format) && !char.IsDigit(text[0]) => format,
                        // Out of range on purpose, so the cluster's validator words the error.
                        _ => (EmailFormat)(-1),
                    },
                    MarkdownBody = content.MarkdownBody ?? "",
                });
            }
        }

        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        return new NotifyTemplate
        {
            TemplateCode = TemplateCode ?? code ?? "",
            TemplateName = TemplateName ?? "",
            NotifyTypeScope = scope,
            Priority = Priority switch
            {
                null => NotifyPriority.Normal,
                { } wire when NotifyPriorities.TryFromWire(wire, out var priority) => priority,
                { } wire => (NotifyPriority)wire,
            },
            Source = Source ?? "",
            RequiredParams = RequiredParams ?? [],
            Contents = contents,
        };
    }
}

internal sealed record ChannelTemplateDocument
{
    public string? Channel { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    public string? Format { get; init; }

    public string? MarkdownBody { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>BK-CI's NotifyType names for the channels, as the template endpoints write and read them.</summary>
internal static class ChannelNames
{
    private const string GroupRobotAlias = "WEWORK_GROUP";

    public static string Accepted { get; } = $"{string.Join(", ", NotifyChannels.All.Select(Name))} or {GroupRobotAlias}";

    public static string Name(NotifyChannel channel) => channel.Name().ToUpperInvariant();

    public static bool TryParse(string? name, out NotifyChannel channel)
    {
        var trimmed = name?.Trim();
        if (string.Equals(trimmed, GroupRobotAlias, StringComparison.OrdinalIgnoreCase))
        {
            channel = NotifyChannel.Wework;
            return true;
        }

        return NotifyChannels.TryParse(trimmed, out channel);
    }

    public static IReadOnlyList<NotifyChannel> Parse(IReadOnlyList<string> names, string field, List<FieldError> errors) =>
        names.Select((name, i) => Parse(name, $"{field}[{i}]", errors)).OfType<NotifyChannel>().ToArray();

    /// <summary>The channel <paramref name="name"/> names, or null with an error naming <paramref name="field"/>.</summary>
    public static NotifyChannel? Parse(string? name, string field, List<FieldError> errors)
    {
        if (TryParse(name, out var channel))
        {
            return channel;
        }

        errors.Add(new FieldError(field, string.IsNullOrWhiteSpace(name) ? $"is required ({Accepted})" : $"'{name}' is not a channel ({Accepted})"));
        return null;
    }
}
