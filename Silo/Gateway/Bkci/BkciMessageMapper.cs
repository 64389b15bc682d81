using System.Text.Json;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Templates;

namespace Notify.Silo.Gateway.Bkci;

/// <summary>
/// BK-CI's request classes → the contract. Reads BK-CI's wire values (integer e-mail formats, lower-case Wework enums, a
/// receiver string split on <c>,</c>/<c>;</c>) and reports every such error at once; every rule about the values is the
/// validator's. <c>source</c> is BK-CI's 0/1 origin enum, not a system name, so the message's source is the API key's.
/// </summary>
public static class BkciMessageMapper
{
    private static readonly char[] ReceiverSeparators = [',', ';'];

    public static NotifyMessage ToMessage(BkciEmailBody body)
    {
        var errors = new List<FieldError>();
        var format = EmailFormat(body.Format, errors);
        RequestFields.ThrowIfAny(errors);
        return Base(NotifyChannel.Email, body) with
        {
            Cc = body.Cc ?? [],
            Bcc = body.Bcc ?? [],
            Title = body.Title ?? "",
            Format = format,
            Adjustments = AttachmentsNotSent(body.UnknownFields),
        };
    }

    public static NotifyMessage ToMessage(BkciRtxBody body) => Base(NotifyChannel.Rtx, body) with { Title = body.Title ?? "" };

    public static NotifyMessage ToMessage(BkciWechatBody body) => Base(NotifyChannel.Wechat, body);

    public static NotifyMessage ToMessage(BkciSmsBody body) => Base(NotifyChannel.Sms, body);

    /// <summary>
    /// The robot: <c>single</c> receivers are user ids, <c>group</c> receivers chat ids; the robot API takes both as
    /// <c>chatid</c> (a user id opens the robot's single chat), so both go to the <see cref="NotifyChannel.Wework"/> channel.
    /// </summary>
    public static NotifyMessage ToMessage(BkciWeworkRobotBody body)
    {
        var errors = new List<FieldError>();
        ReceiverType(body.ReceiverType, errors);
        var textType = TextType(body.TextType, errors);
        RequestFields.ThrowIfAny(errors);
        return new NotifyMessage
        {
            Channel = NotifyChannel.Wework,
            Receivers = SplitReceivers(body.Receivers),
            TextType = textType,
            Body = body.Message ?? "",
            Robot = body.Robot ?? "",
            MentionedMobileList = body.MentionedMobileList ?? [],
            Adjustments = ButtonsNotSent(body.UnknownFields),
        };
    }

    /// <summary>
    /// <c>/wework/text</c>: the query's receivers, receiver type and text type, and the text of the body; an added
    /// <c>robot</c> parameter (not BK-CI's) names a configured robot.
    /// </summary>
    public static NotifyMessage ToMessage(QueryParameters query, string text)
    {
        var errors = new List<FieldError>();
        ReceiverType(query.Text("receiverType"), errors);
        var textType = TextType(query.Text("textType"), errors);
        RequestFields.ThrowIfAny(errors);
        return new NotifyMessage
        {
            Channel = NotifyChannel.Wework,
            Receivers = SplitReceivers(query.Text("receivers")),
            TextType = textType,
            Body = text,
            Robot = query.Text("robot") ?? "",
        };
    }

    public static TemplateSendRequest ToRequest(BkciTemplateSendBody body, string? requestId)
    {
        var (title, bodyParams, channels) = TemplateBodyMapper.SendParts(body.TitleParams, body.BodyParams, body.NotifyType);
        return new TemplateSendRequest
        {
            TemplateCode = body.TemplateCode ?? "",
            Receivers = body.Receivers ?? [],
            Cc = body.Cc ?? [],
            Bcc = body.Bcc ?? [],
            TitleParams = title,
            BodyParams = bodyParams,
            NotifyTypes = channels,
            RequestId = requestId,
        };
    }

    /// <summary>
    /// <c>/wework/media</c>'s query, refused naming the parameter as BK-CI's enums would be; the media kind it names.
    /// BK-CI's <c>WeworkMediaType</c> also has <c>video</c>, which group robots cannot send.
    /// </summary>
    public static WeworkMediaKind CheckMediaQuery(QueryParameters query)
    {
        var errors = new List<FieldError>();
        if (SplitReceivers(query.Text("receivers")).Count == 0)
        {
            errors.Add(new FieldError("receivers", "is required: the chat or user ids, separated by , or ;"));
        }

        ReceiverType(query.Text("receiverType"), errors);
        var mediaType = query.Text("mediaType");
        var kind = mediaType?.ToLowerInvariant() switch
        {
            "image" => WeworkMediaKind.Image,
            "file" => WeworkMediaKind.File,
            "voice" => WeworkMediaKind.Voice,
            _ => (WeworkMediaKind?)null,
        };
        if (kind is null)
        {
            errors.Add(new FieldError("mediaType", mediaType?.ToLowerInvariant() == "video"
                ? "video cannot be sent: WeCom group robots have no video message (send it with mediaType=file)"
                : mediaType is null ? "is required: image, file or voice" : $"must be image, file or voice (got '{NotifyMessageValidator.Printable(mediaType)}')"));
        }

        WeworkMedia.CheckFileName(errors, "mediaName", query.Text("mediaName"));
        RequestFields.ThrowIfAny(errors);
        return kind!.Value;
    }

    /// <summary>
    /// <c>/wework/media</c>: the checked query and the file part's bytes, refused naming BK-CI's parameters (an empty
    /// file is <c>file</c>'s fault, a PNG sent as voice too); the body is the validator's (the media's description).
    /// </summary>
    public static NotifyMessage ToMediaMessage(QueryParameters query, WeworkMediaKind kind, byte[] content)
    {
        var media = WeworkMedia.Create(kind, query.Text("mediaName") ?? "", content);
        var errors = new List<FieldError>();
        media.Check(errors, "mediaType", "mediaName", "file");
        RequestFields.ThrowIfAny(errors);
        return new NotifyMessage
        {
            Channel = NotifyChannel.Wework,
            Receivers = SplitReceivers(query.Text("receivers")),
            Media = media,
            Robot = query.Text("robot") ?? "",
        };
    }

    private static NotifyMessage Base(NotifyChannel channel, BkciChannelMessageBody body) => new()
    {
        Channel = channel,
        Receivers = body.Receivers ?? [],
        Body = body.Body ?? "",
        Sender = body.Sender ?? "",
        Priority = WireEnums.Priority(body.Priority),
        FrequencyLimitMinutes = body.FrequencyLimit ?? 0,
        FromSysId = body.FromSysId ?? "",
        TofSysId = body.TofSysId ?? "",
        DelaySeconds = RequestFields.DelayFromMilliseconds(body.DelayMills),
    };

    /// <summary>BK-CI writes 0 (PLAIN_TEXT) or 1 (HTML); absent means text.</summary>
    private static EmailFormat EmailFormat(int? format, List<FieldError> errors)
    {
        switch (format)
        {
            case null or 0:
                return Grains.Abstractions.Messages.EmailFormat.Text;
            case 1:
                return Grains.Abstractions.Messages.EmailFormat.Html;
            default:
                errors.Add(new FieldError("format", $"must be 0 (PLAIN_TEXT) or 1 (HTML) (got {format})"));
                return Grains.Abstractions.Messages.EmailFormat.Text;
        }
    }

    /// <summary>Required, as in BK-CI; it does not change the route (see <see cref="ToMessage(BkciWeworkRobotBody)"/>).</summary>
    private static void ReceiverType(string? receiverType, List<FieldError> errors)
    {
        if (!string.Equals(receiverType, "single", StringComparison.OrdinalIgnoreCase) && !string.Equals(receiverType, "group", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError("receiverType", receiverType is null ? "is required: single or group" : $"must be single or group (got '{receiverType}')"));
        }
    }

    private static RobotTextType TextType(string? textType, List<FieldError> errors)
    {
        if (string.Equals(textType, "text", StringComparison.OrdinalIgnoreCase))
        {
            return RobotTextType.Text;
        }

        if (string.Equals(textType, "markdown", StringComparison.OrdinalIgnoreCase))
        {
            return RobotTextType.Markdown;
        }

        errors.Add(new FieldError("textType", textType is null ? "is required: text or markdown" : $"must be text or markdown (got '{textType}')"));
        return RobotTextType.Text;
    }

    private static IReadOnlyList<string> SplitReceivers(string? receivers) =>
        (receivers ?? "").Split(ReceiverSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>E-mail has no attachments here; files BK-CI sends are named in the record rather than lost without trace.</summary>
    private static IReadOnlyList<string> AttachmentsNotSent(Dictionary<string, JsonElement>? unknown) =>
        unknown?.GetValueOrDefault("codeccAttachFileContent") is { ValueKind: JsonValueKind.Object } files && files.EnumerateObject().Any()
            ? [$"codeccAttachFileContent: {string.Join(", ", files.EnumerateObject().Select(f => f.Name))} not attached (this cluster sends e-mail without attachments)"]
            : [];

    /// <summary>The robot transport sends text and markdown; interactive buttons are named in the record as not sent.</summary>
    private static IReadOnlyList<string> ButtonsNotSent(Dictionary<string, JsonElement>? unknown) =>
        unknown?.GetValueOrDefault("attachments") is { ValueKind: JsonValueKind.Object } attachments
            ? [$"attachments: the buttons{(attachments.TryGetProperty("callback_id", out var id) && id.ValueKind == JsonValueKind.String ? $" of callback '{id.GetString()}'" : "")} were not sent (the robot transport sends text and markdown only)"]
            : [];
}
