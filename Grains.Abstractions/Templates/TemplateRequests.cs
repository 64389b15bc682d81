using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Templates;

/// <summary>
/// BK-CI's <c>SendNotifyMessageTemplateRequest</c> plus the BaseMessage fields: render <see cref="TemplateCode"/> and send one
/// message per channel. No <see cref="NotifyTypes"/> means every channel in the template's scope.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.TemplateSendRequest")]
public sealed record TemplateSendRequest
{
    [Id(0)] public required string TemplateCode { get; init; }

    [Id(1)] public IReadOnlyList<string> Receivers { get; init; } = [];

    /// <summary>E-mail only; ignored on other channels, as in BK-CI.</summary>
    [Id(2)] public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>E-mail only; ignored on other channels.</summary>
    [Id(3)] public IReadOnlyList<string> Bcc { get; init; } = [];

    [Id(4)] public IReadOnlyDictionary<string, string> TitleParams { get; init; } = new Dictionary<string, string>();

    [Id(5)] public IReadOnlyDictionary<string, string> BodyParams { get; init; } = new Dictionary<string, string>();

    [Id(6)] public IReadOnlyList<NotifyChannel> NotifyTypes { get; init; } = [];

    /// <summary>Overrides the template's source when set.</summary>
    [Id(7)] public string Source { get; init; } = "";

    [Id(8)] public string Sender { get; init; } = "";

    /// <summary>Overrides the template's priority when set.</summary>
    [Id(9)] public NotifyPriority? Priority { get; init; }

    [Id(10)] public int FrequencyLimitMinutes { get; init; }

    [Id(11)] public int DelaySeconds { get; init; }

    [Id(12)] public string FromSysId { get; init; } = "";

    [Id(13)] public string TofSysId { get; init; } = "";

    /// <summary>Caller's idempotency key; each channel's message uses <c>{RequestId}/{channel}</c>.</summary>
    [Id(14)] public string? RequestId { get; init; }

    /// <summary>Robot only: user ids to @-mention.</summary>
    [Id(15)] public IReadOnlyList<string> MentionedList { get; init; } = [];
}

/// <summary>BK-CI's build notify body: who, on which channels, and a build status (or an explicit template code).</summary>
[GenerateSerializer, Immutable, Alias("notify.BuildNotifyRequest")]
public sealed record BuildNotifyRequest
{
    [Id(0)] public IReadOnlyList<string> Receivers { get; init; } = [];

    [Id(1)] public IReadOnlyList<NotifyChannel> NotifyTypes { get; init; } = [];

    /// <summary>START, SUCCESS, FAIL or CANCEL (case-insensitive): the template is <c>BUILD_{status}</c>.</summary>
    [Id(2)] public string BuildStatus { get; init; } = "";

    /// <summary>When set, used instead of the status's template.</summary>
    [Id(3)] public string TemplateCode { get; init; } = "";

    /// <summary>Title and body parameters; <c>projectId</c>, <c>pipelineId</c> and <c>buildId</c> come from the path and win.</summary>
    [Id(4)] public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    [Id(5)] public IReadOnlyList<string> Cc { get; init; } = [];

    [Id(6)] public string Source { get; init; } = "";

    [Id(7)] public string Sender { get; init; } = "";

    [Id(8)] public NotifyPriority? Priority { get; init; }

    [Id(9)] public int FrequencyLimitMinutes { get; init; }

    [Id(10)] public string? RequestId { get; init; }
}

/// <summary>The build a build notify is about (the path of <c>POST /build/notify/projects/{projectId}/pipelines/{pipelineId}/builds/{buildId}/send</c>).</summary>
[GenerateSerializer, Immutable, Alias("notify.BuildRef")]
public sealed record BuildRef(
    [property: Id(0)] string ProjectId,
    [property: Id(1)] string PipelineId,
    [property: Id(2)] string BuildId);

/// <summary>The messages a template send submitted, one per channel.</summary>
[GenerateSerializer, Immutable, Alias("notify.TemplateSendResult")]
public sealed record TemplateSendResult(
    [property: Id(0)] string TemplateCode,
    [property: Id(1)] IReadOnlyList<ChannelSendResult> Channels);

[GenerateSerializer, Immutable, Alias("notify.ChannelSendResult")]
public sealed record ChannelSendResult(
    [property: Id(0)] NotifyChannel Channel,
    [property: Id(1)] string MessageId,
    [property: Id(2)] bool Replayed,
    [property: Id(3)] IReadOnlyList<string> Adjustments,
    [property: Id(4)] IReadOnlyList<string> MissingVariables);

/// <summary>
/// A template rendered for one channel and fitted to its limits: ready to go into a <see cref="NotifyMessage"/>.
/// <see cref="Adjustments"/> says what was cut; variables are those the render looked up.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.RenderedContent")]
public sealed record RenderedContent
{
    [Id(0)] public required NotifyChannel Channel { get; init; }

    [Id(1)] public string Title { get; init; } = "";

    [Id(2)] public string Body { get; init; } = "";

    [Id(3)] public EmailFormat Format { get; init; } = EmailFormat.Text;

    [Id(4)] public RobotTextType TextType { get; init; } = RobotTextType.Text;

    [Id(5)] public IReadOnlyList<string> Adjustments { get; init; } = [];

    [Id(6)] public IReadOnlyList<string> VariablesUsed { get; init; } = [];

    [Id(7)] public IReadOnlyList<string> MissingVariables { get; init; } = [];

    /// <summary>A message carrying this content; the caller adds receivers and the BaseMessage fields with <c>with</c>.</summary>
    public NotifyMessage ToMessage() => new()
    {
        Channel = Channel,
        Title = Title,
        Body = Body,
        Format = Channel == NotifyChannel.Email ? Format : EmailFormat.Text,
        TextType = Channel == NotifyChannel.Wework ? TextType : RobotTextType.Text,
        Adjustments = Adjustments,
    };
}

/// <summary>What a template renders to with the given parameters, per channel, and which variables it used and missed.</summary>
[GenerateSerializer, Immutable, Alias("notify.TemplatePreview")]
public sealed record TemplatePreview(
    [property: Id(0)] string TemplateCode,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<RenderedContent> Channels,
    [property: Id(3)] IReadOnlyList<string> VariablesUsed,
    [property: Id(4)] IReadOnlyList<string> MissingVariables,
    [property: Id(5)] IReadOnlyList<string> MissingRequiredParams);
