using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Templates;

/// <summary>
/// A message template (BK-CI's T_COMMON_NOTIFY_MESSAGE_TEMPLATE row plus its per-channel sub-templates): one content entry
/// per channel in <see cref="NotifyTypeScope"/>. Titles and bodies take BK-CI placeholders (<c>${var}</c>, <c>#{var}</c>,
/// <c>{{var}}</c>) and full Liquid.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.NotifyTemplate")]
public sealed record NotifyTemplate
{
    /// <summary>Upper-case code, e.g. <c>BUILD_SUCCESS</c> (<see cref="TemplateLimits.CodePattern"/>).</summary>
    [Id(0)] public required string TemplateCode { get; init; }

    [Id(1)] public string TemplateName { get; init; } = "";

    /// <summary>The channels this template may be sent on; each needs an entry in <see cref="Contents"/>.</summary>
    [Id(2)] public IReadOnlyList<NotifyChannel> NotifyTypeScope { get; init; } = [];

    /// <summary>Default priority of messages sent with this template (a send request may override it).</summary>
    [Id(3)] public NotifyPriority Priority { get; init; } = NotifyPriority.Normal;

    /// <summary>Default source of messages sent with this template (a send request may override it).</summary>
    [Id(4)] public string Source { get; init; } = "";

    /// <summary>Parameters a send must supply; a send missing any of them is refused naming them.</summary>
    [Id(5)] public IReadOnlyList<string> RequiredParams { get; init; } = [];

    [Id(6)] public IReadOnlyList<ChannelTemplate> Contents { get; init; } = [];

    public ChannelTemplate? ContentFor(NotifyChannel channel) => Contents.FirstOrDefault(c => c.Channel == channel);
}

/// <summary>One channel's sub-template.</summary>
[GenerateSerializer, Immutable, Alias("notify.ChannelTemplate")]
public sealed record ChannelTemplate
{
    [Id(0)] public required NotifyChannel Channel { get; init; }

    /// <summary>
    /// E-mail subject, RTX title, voice task name. Channels without a title (WeChat, SMS, robot) show a non-empty
    /// rendered title as the first line of the body.
    /// </summary>
    [Id(1)] public string Title { get; init; } = "";

    [Id(2)] public string Body { get; init; } = "";

    /// <summary>E-mail only: an HTML body has every parameter value HTML-escaped.</summary>
    [Id(3)] public EmailFormat Format { get; init; } = EmailFormat.Text;

    /// <summary>Robot only: a markdown body; when set the robot message is sent as markdown instead of <see cref="Body"/> as text.</summary>
    [Id(4)] public string MarkdownBody { get; init; } = "";
}

/// <summary>A stored template and its bookkeeping.</summary>
[GenerateSerializer, Immutable, Alias("notify.TemplateRecord")]
public sealed record TemplateRecord(
    [property: Id(0)] NotifyTemplate Template,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] bool BuiltIn);

/// <summary>One line of the template list.</summary>
[GenerateSerializer, Immutable, Alias("notify.TemplateSummary")]
public sealed record TemplateSummary(
    [property: Id(0)] string TemplateCode,
    [property: Id(1)] string TemplateName,
    [property: Id(2)] IReadOnlyList<NotifyChannel> NotifyTypeScope,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] bool BuiltIn)
{
    public static TemplateSummary From(TemplateRecord record) => new(
        record.Template.TemplateCode, record.Template.TemplateName, record.Template.NotifyTypeScope, record.Version, record.UpdatedAt, record.BuiltIn);
}
