using System.Text.Json;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;

namespace Notify.Silo.Gateway.Templates;

/// <summary>
/// <c>POST /op/notify/templates</c> and <c>PUT /op/notify/templates/{code}</c>: the template, in the shape
/// <c>GET /op/notify/templates/{code}</c> answers, so a fetched template can be edited and sent back as it is.
/// </summary>
public sealed class TemplateBody : RestBody
{
    /// <summary>Required on create; on update the path names the template and this, when given, must agree.</summary>
    public string? TemplateCode { get; init; }

    public string? TemplateName { get; init; }

    /// <summary>BK-CI NotifyType names: <c>EMAIL</c>, <c>RTX</c>, <c>WECHAT</c>, <c>SMS</c>, <c>VOICE</c>, <c>WEWORK</c>.</summary>
    public List<string>? NotifyTypeScope { get; init; }

    /// <summary>-1 low, 0 normal (default), 1 high; 2 is taken as high.</summary>
    public int? Priority { get; init; }

    public string? Source { get; init; }

    public List<string>? RequiredParams { get; init; }

    /// <summary><see cref="ChannelTemplateBody"/> entries, read one by one so an error names the entry's field.</summary>
    public List<JsonElement>? Contents { get; init; }

    /// <summary>Update: the version the caller read; a template changed since is 409. Create ignores it.</summary>
    public long? Version { get; init; }

    /// <summary>Read-only (the GET answer's): accepted and ignored.</summary>
    public JsonElement? CreatedAt { get; init; }

    /// <summary>Read-only (the GET answer's): accepted and ignored.</summary>
    public JsonElement? UpdatedAt { get; init; }

    /// <summary>Read-only (the GET answer's): accepted and ignored.</summary>
    public JsonElement? BuiltIn { get; init; }
}

/// <summary>One entry of <see cref="TemplateBody.Contents"/>: a channel's title and body.</summary>
public sealed class ChannelTemplateBody : RestBody
{
    public string? Channel { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    /// <summary>E-mail only: "TEXT" (default) or "HTML".</summary>
    public string? Format { get; init; }

    /// <summary>Robot (<c>WEWORK</c>) only: sent as markdown when set.</summary>
    public string? MarkdownBody { get; init; }
}

/// <summary><c>POST /op/notify/templates/{code}/preview</c>: the parameters of a send, and optionally the channels.</summary>
public sealed class TemplatePreviewBody : RestBody
{
    /// <summary>Values are strings; numbers and booleans are taken as their text.</summary>
    public Dictionary<string, JsonElement>? TitleParams { get; init; }

    public Dictionary<string, JsonElement>? BodyParams { get; init; }

    /// <summary>Channels to render; absent or empty means the template's whole scope.</summary>
    public List<string>? NotifyType { get; init; }
}

/// <summary><c>POST /service/notify/template/send</c>: BK-CI's SendNotifyMessageTemplateRequest with the BaseMessage fields.</summary>
public sealed class TemplateSendBody : SendBody
{
    public string? TemplateCode { get; init; }

    public List<string>? Receivers { get; init; }

    /// <summary>E-mail only (ignored on other channels, as in BK-CI).</summary>
    public List<string>? Cc { get; init; }

    /// <summary>E-mail only.</summary>
    public List<string>? Bcc { get; init; }

    public Dictionary<string, JsonElement>? TitleParams { get; init; }

    public Dictionary<string, JsonElement>? BodyParams { get; init; }

    /// <summary>BK-CI NotifyType names; absent or empty means the template's whole scope.</summary>
    public List<string>? NotifyType { get; init; }

    /// <summary>Robot only: user ids to @-mention.</summary>
    public List<string>? MentionedList { get; init; }
}

/// <summary>
/// <c>POST /build/notify/projects/{projectId}/pipelines/{pipelineId}/builds/{buildId}/send</c>: BK-CI's BuildNotifyRequest.
/// The template is <c>BUILD_{buildStatus}</c> unless <see cref="TemplateCode"/> names one.
/// </summary>
public sealed class BuildNotifyBody : RestBody
{
    public List<string>? Receivers { get; init; }

    public List<string>? NotifyType { get; init; }

    /// <summary>START, SUCCESS, FAIL or CANCEL (any case; RUNNING, SUCCEED, FAILED, CANCELED too).</summary>
    public string? BuildStatus { get; init; }

    public string? TemplateCode { get; init; }

    /// <summary>Title and body variables; the path's projectId, pipelineId and buildId win over entries of the same name.</summary>
    public Dictionary<string, JsonElement>? Params { get; init; }

    public List<string>? Cc { get; init; }

    public string? Source { get; init; }

    public string? Sender { get; init; }

    /// <summary>-1 low, 0 normal, 1 high; absent means the template's own priority.</summary>
    public int? Priority { get; init; }

    /// <summary>Minutes.</summary>
    public int? FrequencyLimit { get; init; }

    /// <summary>Idempotency key; each channel's message takes <c>{requestId}/{channel}</c>.</summary>
    public string? RequestId { get; init; }
}
