using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Templates;

/// <summary>
/// A stored template as REST returns it: the fields of <see cref="TemplateBody"/> plus the bookkeeping, so the answer can be
/// edited and sent back with <c>PUT</c> (its <c>version</c> then guards against a concurrent change).
/// </summary>
public sealed record TemplateView(
    string TemplateCode,
    string TemplateName,
    IReadOnlyList<string> NotifyTypeScope,
    int Priority,
    string Source,
    IReadOnlyList<string> RequiredParams,
    IReadOnlyList<ChannelTemplateView> Contents,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool BuiltIn);

public sealed record ChannelTemplateView(string Channel, string Title, string Body, string Format, string MarkdownBody);

public sealed record TemplateSummaryView(string TemplateCode, string TemplateName, IReadOnlyList<string> NotifyTypeScope, long Version, DateTimeOffset UpdatedAt, bool BuiltIn);

public sealed record TemplatePreviewView(
    string TemplateCode,
    long Version,
    IReadOnlyList<RenderedContentView> Channels,
    IReadOnlyList<string> VariablesUsed,
    IReadOnlyList<string> MissingVariables,
    IReadOnlyList<string> MissingRequiredParams);

/// <summary>One channel's rendering; <c>format</c> only on e-mail, <c>textType</c> only on the robot.</summary>
public sealed record RenderedContentView(
    string Channel,
    string Title,
    string Body,
    string? Format,
    string? TextType,
    IReadOnlyList<string> Adjustments,
    IReadOnlyList<string> VariablesUsed,
    IReadOnlyList<string> MissingVariables);

/// <summary>
/// A template send's answer: BK-CI's <c>{"status":0,"message":null,"data":true}</c> plus the message submitted on each
/// channel (so BK-CI callers that read <c>data</c> keep working).
/// </summary>
public sealed record TemplateSendApiResult(int Status, string? Message, bool Data, string TemplateCode, IReadOnlyList<TemplateMessageView> Messages);

public sealed record TemplateMessageView(string Channel, string MessageId, bool Replayed, IReadOnlyList<string> Adjustments, IReadOnlyList<string> MissingVariables);

public static class TemplateViewMapper
{
    public static TemplateView ToView(TemplateRecord record)
    {
        var template = record.Template;
        return new TemplateView(
            template.TemplateCode,
            template.TemplateName,
            TemplateWireNames.Names(template.NotifyTypeScope),
            (int)template.Priority,
            template.Source,
            template.RequiredParams,
            template.Contents.Select(c => new ChannelTemplateView(TemplateWireNames.Name(c.Channel), c.Title, c.Body, WireEnums.Name(c.Format), c.MarkdownBody)).ToArray(),
            record.Version,
            record.CreatedAt,
            record.UpdatedAt,
            record.BuiltIn);
    }

    public static TemplateSummaryView ToView(TemplateSummary summary) =>
        new(summary.TemplateCode, summary.TemplateName, TemplateWireNames.Names(summary.NotifyTypeScope), summary.Version, summary.UpdatedAt, summary.BuiltIn);

    public static TemplatePreviewView ToView(TemplatePreview preview) => new(
        preview.TemplateCode,
        preview.Version,
        preview.Channels.Select(c => new RenderedContentView(
            TemplateWireNames.Name(c.Channel),
            c.Title,
            c.Body,
            c.Channel == NotifyChannel.Email ? WireEnums.Name(c.Format) : null,
            c.Channel == NotifyChannel.Wework ? WireEnums.Name(c.TextType) : null,
            c.Adjustments,
            c.VariablesUsed,
            c.MissingVariables)).ToArray(),
        preview.VariablesUsed,
        preview.MissingVariables,
        preview.MissingRequiredParams);

    public static TemplateSendApiResult ToApiResult(TemplateSendResult result) => new(
        0,
        null,
        true,
        result.TemplateCode,
        result.Channels.Select(c => new TemplateMessageView(TemplateWireNames.Name(c.Channel), c.MessageId, c.Replayed, c.Adjustments, c.MissingVariables)).ToArray());
}
