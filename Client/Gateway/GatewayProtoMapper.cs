using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Grpc.Core;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Proto = Notify.Api.V1;

namespace Notify.Client.Gateway;

/// <summary>The contract's types ↔ notify.v1 messages, on the client side of the gateway.</summary>
internal static class GatewayProtoMapper
{
    /// <summary>The trailer in which the gateway sends the field errors (<c>GrpcErrorInterceptor</c>).</summary>
    public const string FieldErrorsTrailer = "notify-field-errors-bin";

    public static Proto.SendEmailRequest ToEmail(NotifyMessage message, string requestId)
    {
        var request = new Proto.SendEmailRequest
        {
            Source = message.Source, Sender = message.Sender, Priority = (int)message.Priority, FrequencyLimit = message.FrequencyLimitMinutes,
            FromSysId = message.FromSysId, TofSysId = message.TofSysId, DelaySeconds = message.DelaySeconds, RequestId = requestId,
            Title = message.Title, Body = message.Body, Format = message.Format == EmailFormat.Html ? Proto.EmailFormat.Html : Proto.EmailFormat.Text,
        };
        request.Receivers.Add(message.Receivers);
        request.Cc.Add(message.Cc);
        request.Bcc.Add(message.Bcc);
        return request;
    }

    public static Proto.SendRtxRequest ToRtx(NotifyMessage message, string requestId)
    {
        var request = new Proto.SendRtxRequest
        {
            Source = message.Source, Sender = message.Sender, Priority = (int)message.Priority, FrequencyLimit = message.FrequencyLimitMinutes,
            FromSysId = message.FromSysId, TofSysId = message.TofSysId, DelaySeconds = message.DelaySeconds, RequestId = requestId,
            Title = message.Title, Body = message.Body,
        };
        request.Receivers.Add(message.Receivers);
        return request;
    }

    public static Proto.SendWechatRequest ToWechat(NotifyMessage message, string requestId)
    {
        var request = new Proto.SendWechatRequest
        {
            Source = message.Source, Sender = message.Sender, Priority = (int)message.Priority, FrequencyLimit = message.FrequencyLimitMinutes,
            FromSysId = message.FromSysId, TofSysId = message.TofSysId, DelaySeconds = message.DelaySeconds, RequestId = requestId,
            Body = message.Body,
        };
        request.Receivers.Add(message.Receivers);
        return request;
    }

    public static Proto.SendSmsRequest ToSms(NotifyMessage message, string requestId)
    {
        var request = new Proto.SendSmsRequest
        {
            Source = message.Source, Sender = message.Sender, Priority = (int)message.Priority, FrequencyLimit = message.FrequencyLimitMinutes,
            FromSysId = message.FromSysId, TofSysId = message.TofSysId, DelaySeconds = message.DelaySeconds, RequestId = requestId,
            Body = message.Body,
        };
        request.Receivers.Add(message.Receivers);
        return request;
    }

    public static Proto.SendVoiceRequest ToVoice(NotifyMessage message, string requestId)
    {
        var request = new Proto.SendVoiceRequest
        {
            Source = message.Source, Sender = message.Sender, Priority = (int)message.Priority, FrequencyLimit = message.FrequencyLimitMinutes,
            FromSysId = message.FromSysId, TofSysId = message.TofSysId, DelaySeconds = message.DelaySeconds, RequestId = requestId,
            TaskName = message.Title, Content = message.Body, TransferReceiver = message.TransferReceiver, Interval = message.RecallIntervalSeconds, RecallTime = message.RecallTimes,
        };
        request.Receivers.Add(message.Receivers);
        return request;
    }

    /// <summary>The robot request; a media message is refused, as <c>SendWework</c> has no field for the file.</summary>
    public static Proto.SendWeworkRequest ToWework(NotifyMessage message, string requestId)
    {
        if (message.Media is not null)
        {
            throw NotifyRequestException.Invalid("media", "the gRPC gateway does not carry media: send it through the Orleans client or POST /service/notifies/wework/media");
        }

        var request = new Proto.SendWeworkRequest
        {
            Source = message.Source, Sender = message.Sender, Priority = (int)message.Priority, FrequencyLimit = message.FrequencyLimitMinutes,
            FromSysId = message.FromSysId, TofSysId = message.TofSysId, DelaySeconds = message.DelaySeconds, RequestId = requestId,
            Message = message.Body, TextType = message.TextType == RobotTextType.Markdown ? Proto.TextType.Markdown : Proto.TextType.Text,
            Robot = message.Robot,
        };
        request.Receivers.Add(message.Receivers);
        request.MentionedList.Add(message.MentionedList);
        request.MentionedMobileList.Add(message.MentionedMobileList);
        return request;
    }

    public static SubmitResult FromProto(Proto.SendResponse response) => new(response.MessageId, response.Replayed);

    public static Proto.BatchMessage ToBatchMessage(BatchSubmitEntry entry)
    {
        var (message, requestId) = (entry.Message, entry.RequestId ?? "");
        return message.Channel switch
        {
            NotifyChannel.Email => new Proto.BatchMessage { Email = ToEmail(message, requestId) },
            NotifyChannel.Rtx => new Proto.BatchMessage { Rtx = ToRtx(message, requestId) },
            NotifyChannel.Wechat => new Proto.BatchMessage { Wechat = ToWechat(message, requestId) },
            NotifyChannel.Sms => new Proto.BatchMessage { Sms = ToSms(message, requestId) },
            NotifyChannel.Voice => new Proto.BatchMessage { Voice = ToVoice(message, requestId) },
            NotifyChannel.Wework => new Proto.BatchMessage { Wework = ToWework(message, requestId) },
            // Left empty, the gateway refuses this entry alone, as the Orleans path's validator would.
            _ => new Proto.BatchMessage(),
        };
    }

    /// <summary>
    /// The gateway's answers as the Orleans path gives them: field names without the entry's <c>messages[i].</c>
    /// prefix (the result's place says which entry), statuses as error kinds.
    /// </summary>
    public static IReadOnlyList<BatchSubmitResult> FromProto(Proto.SendBatchResponse response) =>
        response.Results.OrderBy(r => r.Index).Select(result => result.MessageId.Length > 0
            ? BatchSubmitResult.Ok(new SubmitResult(result.MessageId, result.Replayed))
            : new BatchSubmitResult(null, ErrorKind(result.Status), result.Errors.Select(e => new FieldError(Unprefixed(e.Field, result.Index), e.Reason)).ToArray()))
        .ToArray();

    private static RequestErrorKind ErrorKind(int httpStatus) => httpStatus switch
    {
        404 => RequestErrorKind.NotFound,
        409 => RequestErrorKind.Conflict,
        503 => RequestErrorKind.Unavailable,
        _ => RequestErrorKind.Invalid,
    };

    private static string Unprefixed(string field, int index)
    {
        var prefix = $"messages[{index}]";
        return field == prefix ? "message" : field.StartsWith(prefix + ".", StringComparison.Ordinal) ? field[(prefix.Length + 1)..] : field;
    }

    public static Proto.ListMessagesRequest ToProto(MessageQuery query) => new()
    {
        Channel = ToProto(query.Channel),
        Status = query.Status is { } status ? (Proto.MessageStatus)((int)status + 1) : Proto.MessageStatus.Unspecified,
        Receiver = query.Receiver ?? "",
        Source = query.Source ?? "",
        From = query.From is { } from ? Timestamp.FromDateTimeOffset(from) : null,
        To = query.To is { } to ? Timestamp.FromDateTimeOffset(to) : null,
        Page = query.Page,
        PageSize = query.PageSize,
        After = query.After ?? "",
        SkipTotal = !query.CountTotal,
    };

    public static Proto.WhyNotRequest ToWhyNot(string receiver, NotifyChannel? channel, DateTimeOffset? from, DateTimeOffset? to, int limit) => new()
    {
        Receiver = receiver,
        Channel = ToProto(channel),
        From = from is { } f ? Timestamp.FromDateTimeOffset(f) : null,
        To = to is { } t ? Timestamp.FromDateTimeOffset(t) : null,
        Limit = limit,
    };

    public static Proto.PutContactRequest ToProto(Contact contact) => new()
    {
        Username = contact.Username,
        Email = contact.Email,
        Phone = contact.Phone,
        WecomUserId = contact.WecomUserId,
        WechatOpenId = contact.WechatOpenId,
    };

    public static Contact FromProto(Proto.Contact contact) => new()
    {
        Username = contact.Username,
        Email = contact.Email,
        Phone = contact.Phone,
        WecomUserId = contact.WecomUserId,
        WechatOpenId = contact.WechatOpenId,
        UpdatedAt = contact.UpdatedAt?.ToDateTimeOffset() ?? default,
    };

    public static MessagePage FromProto(Proto.ListMessagesResponse response) =>
        new(response.Items.Select(FromProto).ToArray(), response.HasTotal ? response.Total : null, response.Page, response.PageSize,
            response.NextCursor.Length == 0 ? null : response.NextCursor);

    public static IReadOnlyList<ReceiverHistoryEntry> FromProto(Proto.WhyNotResponse response) =>
        response.Entries.Select(entry => new ReceiverHistoryEntry(
            entry.MessageId,
            FromProto(entry.Channel),
            entry.Title,
            entry.CreatedAt.ToDateTimeOffset(),
            FromProto(entry.MessageStatus),
            FromProto(entry.Outcome),
            entry.Explanation)).ToArray();

    public static MessageRecord FromProto(Proto.MessageRecord record)
    {
        var receivers = record.Receivers.Select(FromProto).ToList();
        IReadOnlyList<string> Listed(RecipientKind kind) => receivers.Where(r => r.Kind == kind).Select(r => r.Receiver).ToArray();
        return new MessageRecord
        {
            Id = record.Id,
            Message = new NotifyMessage
            {
                Channel = FromProto(record.Channel),
                Receivers = Listed(RecipientKind.To),
                Cc = Listed(RecipientKind.Cc),
                Bcc = Listed(RecipientKind.Bcc),
                Title = record.Title,
                Body = record.Body,
                Format = record.Format == Proto.EmailFormat.Html ? EmailFormat.Html : EmailFormat.Text,
                TextType = record.TextType == Proto.TextType.Markdown ? RobotTextType.Markdown : RobotTextType.Text,
                MentionedList = [.. record.MentionedList],
                MentionedMobileList = [.. record.MentionedMobileList],
                Robot = record.Robot,
                TransferReceiver = record.TransferReceiver,
                RecallIntervalSeconds = record.Interval,
                RecallTimes = record.RecallTime,
                Priority = (NotifyPriority)record.Priority,
                Source = record.Source,
                Sender = record.Sender,
                FromSysId = record.FromSysId,
                TofSysId = record.TofSysId,
                FrequencyLimitMinutes = record.FrequencyLimit,
                DelaySeconds = record.DelaySeconds,
                Reference = record.Reference,
                Adjustments = [.. record.Adjustments],
            },
            Status = FromProto(record.Status),
            Receivers = receivers,
            ContentMd5 = record.ContentMd5,
            Attempts = record.Attempts,
            RetryCount = record.RetryCount,
            LastError = Optional(record.LastError),
            CreatedAt = record.CreatedAt.ToDateTimeOffset(),
            UpdatedAt = record.UpdatedAt.ToDateTimeOffset(),
            NextAttemptAt = record.NextAttemptAt?.ToDateTimeOffset(),
            CompletedAt = record.CompletedAt?.ToDateTimeOffset(),
            BodyDroppedAt = record.BodyDroppedAt?.ToDateTimeOffset(),
            PossibleDuplicate = record.PossibleDuplicate,
            UnknownOutcomeAttempt = record.HasUnknownOutcomeAttempt ? record.UnknownOutcomeAttempt : null,
            RequestId = Optional(record.RequestId),
            OperatorActions = record.OperatorActions.Select(a => new OperatorAction(
                a.Kind == "cancel" ? OperatorActionKind.Cancel : OperatorActionKind.Retry,
                a.Operator,
                a.At.ToDateTimeOffset(),
                Optional(a.Receiver),
                Optional(a.Note),
                a.Attempt == 0 ? null : a.Attempt)).ToList(),
        };
    }

    /// <summary>
    /// A refused call as the request error it stands for, with the fields from the trailer; null for statuses that
    /// are not request errors (a bug on either side), which stay <see cref="RpcException"/>s.
    /// </summary>
    public static NotifyRequestException? ToRequestError(RpcException exception)
    {
        RequestErrorKind? kind = exception.StatusCode switch
        {
            StatusCode.InvalidArgument => RequestErrorKind.Invalid,
            StatusCode.NotFound => RequestErrorKind.NotFound,
            StatusCode.FailedPrecondition or StatusCode.AlreadyExists => RequestErrorKind.Conflict,
            StatusCode.Unavailable or StatusCode.DeadlineExceeded => RequestErrorKind.Unavailable,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var trailer = exception.Trailers.GetValueBytes(FieldErrorsTrailer);
        IReadOnlyList<FieldError> errors = trailer is null
            ? [new FieldError("gateway", exception.Status.Detail)]
            : Proto.FieldErrors.Parser.ParseFrom(trailer).Errors.Select(e => new FieldError(e.Field, e.Reason)).ToArray();
        return new NotifyRequestException(kind.Value, errors);
    }

    private static ReceiverOutcome FromProto(Proto.ReceiverOutcome outcome) => new()
    {
        Receiver = outcome.Receiver,
        Kind = outcome.Kind switch
        {
            Proto.RecipientKind.Cc => RecipientKind.Cc,
            Proto.RecipientKind.Bcc => RecipientKind.Bcc,
            _ => RecipientKind.To,
        },
        Status = (ReceiverStatus)((int)outcome.Status - 1),
        Reason = Enum.GetValues<OutcomeReason>().FirstOrDefault(r => r.WireName() == outcome.Reason),
        Address = Optional(outcome.Address),
        Detail = Optional(outcome.Detail),
        SuppressedBy = Optional(outcome.SuppressedBy),
        Attempts = outcome.Attempts,
        CompletedAt = outcome.CompletedAt?.ToDateTimeOffset(),
        ProviderMessageId = Optional(outcome.ProviderMessageId),
        UnknownOutcomeAttempt = outcome.HasUnknownOutcomeAttempt ? outcome.UnknownOutcomeAttempt : null,
    };

    // The proto enums are the contract's shifted by one for UNSPECIFIED; the channel enum too.
    private static NotifyChannel FromProto(Proto.Channel channel) => (NotifyChannel)((int)channel - 1);

    private static Proto.Channel ToProto(NotifyChannel? channel) => channel is { } c ? (Proto.Channel)((int)c + 1) : Proto.Channel.Unspecified;

    private static MessageStatus FromProto(Proto.MessageStatus status) => (MessageStatus)((int)status - 1);

    private static string? Optional(string value) => value.Length == 0 ? null : value;
}
