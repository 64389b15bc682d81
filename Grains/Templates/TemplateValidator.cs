using System.Text.RegularExpressions;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>
/// The one place that decides whether a template may be saved. Pure: every error names the field as the caller wrote it;
/// Liquid errors carry a line and column. A template that passes always compiles.
/// </summary>
public static partial class TemplateValidator
{
    [GeneratedRegex(TemplateLimits.CodePattern, RegexOptions.CultureInvariant)]
    private static partial Regex CodeSyntax();

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ParamNameSyntax();

    /// <summary>Trims names and upper-cases the code, as stored.</summary>
    public static NotifyTemplate Normalize(NotifyTemplate template) => template with
    {
        TemplateCode = TemplateKeys.Normalize(template.TemplateCode ?? ""),
        TemplateName = template.TemplateName?.Trim() ?? "",
        Source = template.Source?.Trim() ?? "",
        NotifyTypeScope = template.NotifyTypeScope ?? [],
        RequiredParams = (template.RequiredParams ?? []).Select(p => p?.Trim() ?? "").ToArray(),
        Contents = (template.Contents ?? []).Where(c => c is not null).ToArray(),
    };

    public static IReadOnlyList<FieldError> Validate(NotifyTemplate template)
    {
        var errors = new List<FieldError>();
        if (!CodeSyntax().IsMatch(template.TemplateCode))
        {
            errors.Add(new("templateCode", $"'{template.TemplateCode}' must be a letter followed by up to {TemplateLimits.MaxCodeLength - 1} letters, digits, '_', '-' or '.'"));
        }

        CheckText(errors, "templateName", template.TemplateName, TemplateLimits.MaxNameLength, required: true);
        CheckText(errors, "source", template.Source, TemplateLimits.MaxSourceLength, required: false);
        if (!Enum.IsDefined(template.Priority))
        {
            errors.Add(new("priority", "must be -1 (low), 0 (normal) or 1 (high)"));
        }

        CheckScope(errors, template);
        CheckRequiredParams(errors, template.RequiredParams);
        for (var i = 0; i < template.Contents.Count; i++)
        {
            CheckContent(errors, $"contents[{i}]", template.Contents[i], template.NotifyTypeScope);
        }

        return errors;
    }

    /// <summary>Normalizes and validates, throwing <see cref="NotifyRequestException"/> listing every bad field.</summary>
    public static NotifyTemplate EnsureValid(NotifyTemplate template)
    {
        var normalized = Normalize(template);
        var errors = Validate(normalized);
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : normalized;
    }

    private static void CheckScope(List<FieldError> errors, NotifyTemplate template)
    {
        if (template.NotifyTypeScope.Count == 0)
        {
            errors.Add(new("notifyTypeScope", "must name at least one channel"));
        }

        var seen = new HashSet<NotifyChannel>();
        for (var i = 0; i < template.NotifyTypeScope.Count; i++)
        {
            var channel = template.NotifyTypeScope[i];
            if (!Enum.IsDefined(channel))
            {
                errors.Add(new($"notifyTypeScope[{i}]", $"unknown channel {(int)channel}"));
            }
            else if (!seen.Add(channel))
            {
                errors.Add(new($"notifyTypeScope[{i}]", $"{channel.Name()} is listed twice"));
            }
            else if (template.ContentFor(channel) is null)
            {
                errors.Add(new($"notifyTypeScope[{i}]", $"{channel.Name()} has no entry in contents"));
            }
        }

        var channels = new HashSet<NotifyChannel>();
        for (var i = 0; i < template.Contents.Count; i++)
        {
            if (!channels.Add(template.Contents[i].Channel))
            {
                errors.Add(new($"contents[{i}].channel", $"{template.Contents[i].Channel.Name()} has two entries"));
            }
        }
    }

    private static void CheckRequiredParams(List<FieldError> errors, IReadOnlyList<string> names)
    {
        if (names.Count > TemplateLimits.MaxRequiredParams)
        {
            errors.Add(new("requiredParams", $"has {names.Count} entries; at most {TemplateLimits.MaxRequiredParams} are allowed"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!ParamNameSyntax().IsMatch(names[i]))
            {
                errors.Add(new($"requiredParams[{i}]", $"'{names[i]}' must be 1-{TemplateLimits.MaxParamNameLength} letters, digits, '_', '-' or '.'"));
            }
            else if (!seen.Add(names[i]))
            {
                errors.Add(new($"requiredParams[{i}]", $"'{names[i]}' is listed twice"));
            }
        }
    }

    private static void CheckContent(List<FieldError> errors, string field, ChannelTemplate content, IReadOnlyList<NotifyChannel> scope)
    {
        var channel = content.Channel;
        if (!Enum.IsDefined(channel))
        {
            errors.Add(new($"{field}.channel", $"unknown channel {(int)channel}"));
            return;
        }

        if (!scope.Contains(channel))
        {
            errors.Add(new($"{field}.channel", $"{channel.Name()} is not in notifyTypeScope"));
        }

        var title = content.Title ?? "";
        var body = content.Body ?? "";
        var markdown = content.MarkdownBody ?? "";
        if (channel is NotifyChannel.Email or NotifyChannel.Rtx && string.IsNullOrWhiteSpace(title))
        {
            errors.Add(new($"{field}.title", $"is required on {channel.Name()}"));
        }

        if (string.IsNullOrWhiteSpace(body) && !(channel == NotifyChannel.Wework && markdown.Trim().Length > 0))
        {
            errors.Add(new($"{field}.body", "is required"));
        }

        if (channel != NotifyChannel.Email && content.Format != EmailFormat.Text)
        {
            errors.Add(new($"{field}.format", $"HTML is for e-mail only, not {channel.Name()}"));
        }
        else if (!Enum.IsDefined(content.Format))
        {
            errors.Add(new($"{field}.format", "must be TEXT or HTML"));
        }

        if (channel != NotifyChannel.Wework && markdown.Length > 0)
        {
            errors.Add(new($"{field}.markdownBody", $"is for the robot (wework) only, not {channel.Name()}"));
        }

        CheckSource(errors, $"{field}.title", title, TemplateLimits.MaxTitleSourceLength);
        CheckSource(errors, $"{field}.body", body, TemplateLimits.MaxBodySourceLength);
        CheckSource(errors, $"{field}.markdownBody", markdown, TemplateLimits.MaxBodySourceLength);
    }

    private static void CheckSource(List<FieldError> errors, string field, string source, int maxLength)
    {
        if (source.Length > maxLength)
        {
            errors.Add(new(field, $"is {source.Length} characters; at most {maxLength} are allowed"));
        }
        else if (TemplateEngine.Parse(source).Error is { } error)
        {
            errors.Add(new(field, error.ToString()));
        }
    }

    private static void CheckText(List<FieldError> errors, string field, string value, int maxLength, bool required)
    {
        if (required && value.Length == 0)
        {
            errors.Add(new(field, "is required"));
        }
        else if (value.Length > maxLength)
        {
            errors.Add(new(field, $"is {value.Length} characters; at most {maxLength} are allowed"));
        }
        else if (value.Any(char.IsControl))
        {
            errors.Add(new(field, "must not contain line breaks or control characters"));
        }
    }
}
