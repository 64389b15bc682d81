using Google.Protobuf.Collections;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Notify.Silo.Gateway.Common;
using Proto = Notify.Api.V1;

namespace Notify.Silo.Gateway.Templates;

/// <summary>
/// notify.v1 template messages ↔ the contract. Maps only; channel numbers that name no channel are refused here (naming the
/// field as REST does), every other rule is the grains'.
/// </summary>
public static class TemplatesProtoMapper
{
    public static NotifyTemplate ToTemplate(Proto.NotifyTemplate? template)
    {
        if (template is null)
        {
            throw NotifyRequestException.Invalid("template", "is required");
        }

        var errors = new List<FieldError>();
        var scope = Channels(template.NotifyTypeScope, "notifyTypeScope", errors);
        var contents = new List<ChannelTemplate>();
        for (var i = 0; i < template.Contents.Count; i++)
        {
            var content = template.Contents[i];
            if (Channel(content.Channel, $"contents[{i}].channel", errors) is { } channel)
            {
                contents.Add(new ChannelTemplate
                {
                    Channel = channel,
                    Title = content.Title,
                    Body = content.Body,
                    Format = content.Format switch
                    {
                        Proto.EmailFormat.Unspecified or Proto.EmailFormat.Text => EmailFormat.Text,
                        Proto.EmailFormat.Html => EmailFormat.Html,
                        _ => (EmailFormat)(-1),
                    },
                    MarkdownBody = content.MarkdownBody,
                });
            }
        }

        RequestFields.ThrowIfAny(errors);
        return new NotifyTemplate
        {
            TemplateCode = template.TemplateCode,
            TemplateName = template.TemplateName,
            NotifyTypeScope = scope,
            Priority = WireEnums.Priority(template.Priority),
            Source = template.Source,
            RequiredParams = [.. template.RequiredParams],
            Contents = contents,
        };
    }

    public static IReadOnlyList<NotifyChannel> Channels(RepeatedField<Proto.Channel> channels, string field)
    {
        var errors = new List<FieldError>();
        var result = Channels(channels, field, errors);
        RequestFields.ThrowIfAny(errors);
        return result;
    }

    public static TemplateSendRequest ToRequest(Proto.SendByTemplateRequest request) => new()
    {
        TemplateCode = request.TemplateCode,
        Receivers = [.. request.Receivers],
        Cc = [.. request.Cc],
        Bcc = [.. request.Bcc],
        TitleParams = new Dictionary<string, string>(request.TitleParams),
        BodyParams = new Dictionary<string, string>(request.BodyParams),
        NotifyTypes = Channels(request.NotifyType, "notifyType"),
        MentionedList = [.. request.MentionedList],
        Source = request.Source,
        Sender = request.Sender,
        Priority = request.HasPriority ? WireEnums.Priority(request.Priority) : null,
        FrequencyLimitMinutes = request.FrequencyLimit,
        DelaySeconds = request.DelaySeconds,
        FromSysId = request.FromSysId,
        TofSysId = request.TofSysId,
        RequestId = string.IsNullOrEmpty(request.RequestId) ? null : request.RequestId,
    };

    public static BuildRef ToBuild(Proto.SendBuildNotifyRequest request) => new(request.ProjectId, request.PipelineId, request.BuildId);

    public static BuildNotifyRequest ToRequest(Proto.SendBuildNotifyRequest request) => new()
    {
        Receivers = [.. request.Receivers],
        NotifyTypes = Channels(request.NotifyType, "notifyType"),
        BuildStatus = request.BuildStatus,
        TemplateCode = request.TemplateCode,
        Params = new Dictionary<string, string>(request.Params),
        Cc = [.. request.Cc],
        Source = request.Source,
        Sender = request.Sender,
        Priority = request.HasPriority ? WireEnums.Priority(request.Priority) : null,
        FrequencyLimitMinutes = request.FrequencyLimit,
        RequestId = string.IsNullOrEmpty(request.RequestId) ? null : request.RequestId,
    };

    public static Proto.TemplateRecord ToProto(TemplateRecord record)
    {
        var template = new Proto.NotifyTemplate
        {
            TemplateCode = record.Template.TemplateCode,
            TemplateName = record.Template.TemplateName,
            Priority = (int)record.Template.Priority,
            Source = record.Template.Source,
        };
        template.NotifyTypeScope.Add(record.Template.NotifyTypeScope.Select(ToProto));
        template.RequiredParams.Add(record.Template.RequiredParams);
        template.Contents.Add(record.Template.Contents.Select(c => new Proto.ChannelTemplate
        {
            Channel = ToProto(c.Channel),
            Title = c.Title,
            Body = c.Body,
            Format = ToProto(c.Format),
            MarkdownBody = c.MarkdownBody,
        }));
        return new Proto.TemplateRecord
        {
            Template = template,
            Version = record.Version,
            CreatedAt = Timestamp.FromDateTimeOffset(record.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(record.UpdatedAt),
            BuiltIn = record.BuiltIn,
        };
    }

    public static Proto.ListTemplatesResponse ToProto(IReadOnlyList<TemplateSummary> summaries)
    {
        var response = new Proto.ListTemplatesResponse();
        response.Templates.Add(summaries.Select(s =>
        {
            var summary = new Proto.TemplateSummary
            {
                TemplateCode = s.TemplateCode,
                TemplateName = s.TemplateName,
                Version = s.Version,
                UpdatedAt = Timestamp.FromDateTimeOffset(s.UpdatedAt),
                BuiltIn = s.BuiltIn,
            };
            summary.NotifyTypeScope.Add(s.NotifyTypeScope.Select(ToProto));
            return summary;
        }));
        return response;
    }

    public static Proto.TemplatePreview ToProto(TemplatePreview preview)
    {
        var proto = new Proto.TemplatePreview { TemplateCode = preview.TemplateCode, Version = preview.Version };
        proto.Channels.Add(preview.Channels.Select(c =>
        {
            var rendered = new Proto.RenderedContent
            {
                Channel = ToProto(c.Channel),
                Title = c.Title,
                Body = c.Body,
                Format = ToProto(c.Format),
                TextType = c.TextType == RobotTextType.Markdown ? Proto.TextType.Markdown : Proto.TextType.Text,
            };
            rendered.Adjustments.Add(c.Adjustments);
            rendered.VariablesUsed.Add(c.VariablesUsed);
            rendered.MissingVariables.Add(c.MissingVariables);
            return rendered;
        }));
        proto.VariablesUsed.Add(preview.VariablesUsed);
        proto.MissingVariables.Add(preview.MissingVariables);
        proto.MissingRequiredParams.Add(preview.MissingRequiredParams);
        return proto;
    }

    public static Proto.TemplateSendResponse ToProto(TemplateSendResult result)
    {
        var response = new Proto.TemplateSendResponse { TemplateCode = result.TemplateCode };
        response.Messages.Add(result.Channels.Select(c =>
        {
            var message = new Proto.TemplateChannelMessage { Channel = ToProto(c.Channel), MessageId = c.MessageId, Replayed = c.Replayed };
            message.Adjustments.Add(c.Adjustments);
            message.MissingVariables.Add(c.MissingVariables);
            return message;
        }));
        return response;
    }

    private static IReadOnlyList<NotifyChannel> Channels(RepeatedField<Proto.Channel> channels, string field, List<FieldError> errors)
    {
        var result = new List<NotifyChannel>(channels.Count);
        for (var i = 0; i < channels.Count; i++)
        {
            if (Channel(channels[i], $"{field}[{i}]", errors) is { } channel)
            {
                result.Add(channel);
            }
        }

        return result;
    }

    /// <summary>The channel, or null with an error: where a template names a channel, "unspecified" is no answer.</summary>
    private static NotifyChannel? Channel(Proto.Channel channel, string field, List<FieldError> errors)
    {
        if (channel == Proto.Channel.Unspecified)
        {
            errors.Add(new FieldError(field, "a channel is required"));
            return null;
        }

        if (!Enum.IsDefined(channel))
        {
            errors.Add(new FieldError(field, $"unknown channel {(int)channel}"));
            return null;
        }

        // The proto enum is the contract's shifted by one for UNSPECIFIED.
        return (NotifyChannel)((int)channel - 1);
    }

    private static Proto.Channel ToProto(NotifyChannel channel) => (Proto.Channel)((int)channel + 1);

    private static Proto.EmailFormat ToProto(EmailFormat format) => format == EmailFormat.Html ? Proto.EmailFormat.Html : Proto.EmailFormat.Text;
}
