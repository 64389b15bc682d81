using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>The pure decisions of a template send: which channels, whether the parameters will do, and the message per channel.</summary>
public static class TemplateSendPlanner
{
    /// <summary>BK-CI build statuses (and their long spellings) and the built-in template each picks.</summary>
    public static string? BuildTemplateCode(string buildStatus) => buildStatus.Trim().ToUpperInvariant() switch
    {
        "START" or "RUNNING" => "BUILD_START",
        "SUCCESS" or "SUCCEED" => "BUILD_SUCCESS",
        "FAIL" or "FAILED" => "BUILD_FAIL",
        "CANCEL" or "CANCELED" or "CANCELLED" => "BUILD_CANCEL",
        _ => null,
    };

    /// <summary>
    /// The channels to send on: those requested, or the whole scope when none are; a requested channel outside the scope is
    /// refused naming it.
    /// </summary>
    public static IReadOnlyList<NotifyChannel> Channels(NotifyTemplate template, IReadOnlyList<NotifyChannel> requested)
    {
        if (requested.Count == 0)
        {
            return template.NotifyTypeScope;
        }

        var outside = requested.Where(c => !template.NotifyTypeScope.Contains(c)).Distinct().ToArray();
        if (outside.Length > 0)
        {
            var names = string.Join(", ", outside.Select(c => Enum.IsDefined(c) ? c.Name() : ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            throw NotifyRequestException.Invalid("notifyType", $"{names} not in the scope of template {template.TemplateCode} ({string.Join(", ", template.NotifyTypeScope.Select(c => c.Name()))})");
        }

        return requested.Distinct().ToArray();
    }

    /// <summary>Parameter maps within <see cref="TemplateLimits"/>, and every required parameter present in one of them.</summary>
    public static IReadOnlyList<FieldError> CheckParams(NotifyTemplate template, IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams)
    {
        var errors = new List<FieldError>();
        CheckParamMap(errors, "titleParams", titleParams);
        CheckParamMap(errors, "bodyParams", bodyParams);
        if (titleParams.Count + bodyParams.Count > TemplateLimits.MaxParams)
        {
            errors.Add(new("bodyParams", $"title and body parameters number {titleParams.Count + bodyParams.Count}; at most {TemplateLimits.MaxParams} are allowed"));
        }

        var missing = MissingRequired(template, titleParams, bodyParams);
        if (missing.Count > 0)
        {
            errors.Add(new("bodyParams", $"template {template.TemplateCode} requires {string.Join(", ", missing)}"));
        }

        return errors;
    }

    public static IReadOnlyList<string> MissingRequired(NotifyTemplate template, IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams) =>
        template.RequiredParams.Where(p => !titleParams.ContainsKey(p) && !bodyParams.ContainsKey(p)).ToArray();

    /// <summary>The message for one channel: rendered content plus the request's receivers and BaseMessage fields.</summary>
    public static NotifyMessage Message(RenderedContent content, NotifyTemplate template, TemplateSendRequest request) =>
        content.ToMessage() with
        {
            Receivers = request.Receivers,
            Cc = content.Channel == NotifyChannel.Email ? request.Cc : [],
            Bcc = content.Channel == NotifyChannel.Email ? request.Bcc : [],
            MentionedList = content.Channel == NotifyChannel.Wework ? request.MentionedList : [],
            Source = string.IsNullOrWhiteSpace(request.Source) ? template.Source : request.Source,
            Sender = request.Sender,
            Priority = request.Priority ?? template.Priority,
            FrequencyLimitMinutes = request.FrequencyLimitMinutes,
            DelaySeconds = request.DelaySeconds,
            FromSysId = request.FromSysId,
            TofSysId = request.TofSysId,
            Reference = "template:" + template.TemplateCode,
        };

    /// <summary>
    /// A build notify as a template send: <c>BUILD_{status}</c> (or the explicit code), rendered with the request's parameters and
    /// the path values <c>projectId</c>, <c>pipelineId</c>, <c>buildId</c> (which win over parameters of the same name).
    /// </summary>
    public static TemplateSendRequest BuildNotify(BuildRef build, BuildNotifyRequest request)
    {
        var code = request.TemplateCode?.Trim() is { Length: > 0 } explicitCode ? explicitCode
            : string.IsNullOrWhiteSpace(request.BuildStatus) ? throw NotifyRequestException.Invalid("buildStatus", "a build status (START, SUCCESS, FAIL, CANCEL) or a templateCode is required")
            : BuildTemplateCode(request.BuildStatus) ?? throw NotifyRequestException.Invalid("buildStatus", $"'{request.BuildStatus}' is not START, SUCCESS, FAIL or CANCEL");

        var errors = new List<FieldError>();
        CheckPathValue(errors, "projectId", build.ProjectId);
        CheckPathValue(errors, "pipelineId", build.PipelineId);
        CheckPathValue(errors, "buildId", build.BuildId);
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        var parameters = new Dictionary<string, string>(request.Params ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["projectId"] = build.ProjectId,
            ["pipelineId"] = build.PipelineId,
            ["buildId"] = build.BuildId,
        };
        return new TemplateSendRequest
        {
            TemplateCode = code,
            Receivers = request.Receivers,
            Cc = request.Cc,
            NotifyTypes = request.NotifyTypes,
            TitleParams = parameters,
            BodyParams = parameters,
            Source = request.Source,
            Sender = request.Sender,
            Priority = request.Priority,
            FrequencyLimitMinutes = request.FrequencyLimitMinutes,
            RequestId = request.RequestId,
        };
    }

    private static void CheckParamMap(List<FieldError> errors, string field, IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (name.Length is 0 or > TemplateLimits.MaxParamNameLength)
            {
                errors.Add(new(field, $"parameter names must be 1-{TemplateLimits.MaxParamNameLength} characters ('{name}')"));
            }
            else if ((value?.Length ?? 0) > TemplateLimits.MaxParamValueLength)
            {
                errors.Add(new($"{field}.{name}", $"is {value!.Length} characters; at most {TemplateLimits.MaxParamValueLength} are allowed"));
            }
        }
    }

    private static void CheckPathValue(List<FieldError> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 128 || value.Any(char.IsControl))
        {
            errors.Add(new(field, "must be 1-128 printable characters"));
        }
    }
}
