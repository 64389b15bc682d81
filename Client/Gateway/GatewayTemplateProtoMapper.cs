using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Proto = Notify.Api.V1;

namespace Notify.Client.Gateway;

/// <summary>Templates ↔ notify.v1 messages, on the client side of the gateway.</summary>
internal static class GatewayTemplateProtoMapper
{
    public static Proto.NotifyTemplate ToProto(NotifyTemplate template)
    {
        var proto = new Proto.NotifyTemplate
        {
            TemplateCode = template.TemplateCode ?? "",
            TemplateName = template.TemplateName ?? "",
            Priority = (int)template.Priority,
            Source = template.Source ?? "",
        };
        proto.NotifyTypeScope.Add((template.NotifyTypeScope ?? []).Select(ToProto));
        proto.RequiredParams.Add(template.RequiredParams ?? []);
        proto.Contents.Add((template.Contents ?? []).Select(c => new Proto.ChannelTemplate
        {
            Channel = ToProto(c.Channel),
            Title = c.Title ?? "",
            Body = c.Body ?? "",
            Format = c.Format switch
            {
                EmailFormat.Text => Proto.EmailFormat.Text,
                EmailFormat.Html => Proto.EmailFormat.Html,
                // Out of range on purpose, so the server's validator words the error.
                _ => (Proto.EmailFormat)(-1),
            },
            MarkdownBody = c.MarkdownBody ?? "",
        }));
        return proto;
    }

    public static TemplateRecord FromProto(Proto.TemplateRecord record)
    {
        var template = record.Template ?? new Proto.NotifyTemplate();
        return new TemplateRecord(
            new NotifyTemplate
            {
                TemplateCode = template.TemplateCode,
                TemplateName = template.TemplateName,
                NotifyTypeScope = template.NotifyTypeScope.Select(FromProto).ToArray(),
                Priority = (NotifyPriority)template.Priority,
                Source = template.Source,
                RequiredParams = [.. template.RequiredParams],
                Contents = template.Contents.Select(c => new ChannelTemplate
                {
                    Channel = FromProto(c.Channel),
                    Title = c.Title,
                    Body = c.Body,
                    Format = c.Format == Proto.EmailFormat.Html ? EmailFormat.Html : EmailFormat.Text,
                    MarkdownBody = c.MarkdownBody,
                }).ToArray(),
            },
            record.Version,
            record.CreatedAt.ToDateTimeOffset(),
            record.UpdatedAt.ToDateTimeOffset(),
            record.BuiltIn);
    }

    public static IReadOnlyList<TemplateSummary> FromProto(Proto.ListTemplatesResponse response) =>
        response.Templates.Select(t => new TemplateSummary(
            t.TemplateCode,
            t.TemplateName,
            t.NotifyTypeScope.Select(FromProto).ToArray(),
            t.Version,
            t.UpdatedAt.ToDateTimeOffset(),
            t.BuiltIn)).ToArray();

    public static Proto.PreviewTemplateRequest ToPreview(string templateCode, IReadOnlyDictionary<string, string> titleParams, IReadOnlyDictionary<string, string> bodyParams, IReadOnlyList<NotifyChannel>? channels)
    {
        var request = new Proto.PreviewTemplateRequest { TemplateCode = templateCode };
        request.TitleParams.Add(titleParams.ToDictionary());
        request.BodyParams.Add(bodyParams.ToDictionary());
        request.NotifyType.Add((channels ?? []).Select(ToProto));
        return request;
    }

    public static TemplatePreview FromProto(Proto.TemplatePreview preview) => new(
        preview.TemplateCode,
        preview.Version,
        preview.Channels.Select(c => new RenderedContent
        {
            Channel = FromProto(c.Channel),
            Title = c.Title,
            Body = c.Body,
            Format = c.Format == Proto.EmailFormat.Html ? EmailFormat.Html : EmailFormat.Text,
            TextType = c.TextType == Proto.TextType.Markdown ? RobotTextType.Markdown : RobotTextType.Text,
            Adjustments = [.. c.Adjustments],
            VariablesUsed = [.. c.VariablesUsed],
            MissingVariables = [.. c.MissingVariables],
        }).ToArray(),
        [.. preview.VariablesUsed],
        [.. preview.MissingVariables],
        [.. preview.MissingRequiredParams]);

    public static Proto.SendByTemplateRequest ToProto(TemplateSendRequest request)
    {
        var proto = new Proto.SendByTemplateRequest
        {
            Source = request.Source ?? "",
            Sender = request.Sender ?? "",
            FrequencyLimit = request.FrequencyLimitMinutes,
            FromSysId = request.FromSysId ?? "",
            TofSysId = request.TofSysId ?? "",
            DelaySeconds = request.DelaySeconds,
            RequestId = request.RequestId ?? "",
            TemplateCode = request.TemplateCode ?? "",
        };
        if (request.Priority is { } priority)
        {
            proto.Priority = (int)priority;
        }

        proto.Receivers.Add(request.Receivers ?? []);
        proto.Cc.Add(request.Cc ?? []);
        proto.Bcc.Add(request.Bcc ?? []);
        proto.TitleParams.Add((request.TitleParams ?? new Dictionary<string, string>()).ToDictionary());
        proto.BodyParams.Add((request.BodyParams ?? new Dictionary<string, string>()).ToDictionary());
        proto.NotifyType.Add((request.NotifyTypes ?? []).Select(ToProto));
        proto.MentionedList.Add(request.MentionedList ?? []);
        return proto;
    }

    public static Proto.SendBuildNotifyRequest ToProto(BuildRef build, BuildNotifyRequest request)
    {
        var proto = new Proto.SendBuildNotifyRequest
        {
            Source = request.Source ?? "",
            Sender = request.Sender ?? "",
            FrequencyLimit = request.FrequencyLimitMinutes,
            RequestId = request.RequestId ?? "",
            ProjectId = build.ProjectId ?? "",
            PipelineId = build.PipelineId ?? "",
            BuildId = build.BuildId ?? "",
            BuildStatus = request.BuildStatus ?? "",
            TemplateCode = request.TemplateCode ?? "",
        };
        if (request.Priority is { } priority)
        {
            proto.Priority = (int)priority;
        }

        proto.Receivers.Add(request.Receivers ?? []);
        proto.NotifyType.Add((request.NotifyTypes ?? []).Select(ToProto));
        proto.Params.Add((request.Params ?? new Dictionary<string, string>()).ToDictionary());
        proto.Cc.Add(request.Cc ?? []);
        return proto;
    }

    public static TemplateSendResult FromProto(Proto.TemplateSendResponse response) => new(
        response.TemplateCode,
        response.Messages.Select(m => new ChannelSendResult(FromProto(m.Channel), m.MessageId, m.Replayed, [.. m.Adjustments], [.. m.MissingVariables])).ToArray());

    // The proto enum is the contract's shifted by one for UNSPECIFIED; an undefined channel stays undefined for the server to refuse.
    private static Proto.Channel ToProto(NotifyChannel channel) => (Proto.Channel)((int)channel + 1);

    private static NotifyChannel FromProto(Proto.Channel channel) => (NotifyChannel)((int)channel - 1);
}
