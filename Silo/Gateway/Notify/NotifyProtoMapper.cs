using Google.Protobuf.WellKnownTypes;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Notify;

/// <summary>notify.v1 messages ↔ the contract's types. Maps only; every rule is the validator's.</summary>
public static class NotifyProtoMapper
{
    public static NotifyMessage ToMessage(Api.V1.SendEmailRequest request) => Base(NotifyChannel.Email, request) with
    {
        Receivers = [.. request.Receivers],
        Cc = [.. request.Cc],
        Bcc = [.. request.Bcc],
        Title = request.Title,
        Body = request.Body,
        Format = request.Format switch
        {
            Api.V1.EmailFormat.Unspecified or Api.V1.EmailFormat.Text => EmailFormat.Text,
            Api.V1.EmailFormat.Html => EmailFormat.Html,
            _ => (EmailFormat)(-1),
        },
    };

    /// <summary>A batch's entries as REST reads them: an entry with no message set is refused on its own.</summary>
    public static IReadOnlyList<BatchEntryInput> ToBatch(Api.V1.SendBatchRequest request) =>
        request.Messages.Select((entry, index) => entry.MessageCase switch
        {
            Api.V1.BatchMessage.MessageOneofCase.Email => BatchEntryInput.Ready(ToMessage(entry.Email), entry.Email.RequestId),
            Api.V1.BatchMessage.MessageOneofCase.Rtx => BatchEntryInput.Ready(ToMessage(entry.Rtx), entry.Rtx.RequestId),
            Api.V1.BatchMessage.MessageOneofCase.Wechat => BatchEntryInput.Ready(ToMessage(entry.Wechat), entry.Wechat.RequestId),
            Api.V1.BatchMessage.MessageOneofCase.Sms => BatchEntryInput.Ready(ToMessage(entry.Sms), entry.Sms.RequestId),
            Api.V1.BatchMessage.MessageOneofCase.Voice => BatchEntryInput.Ready(ToMessage(entry.Voice), entry.Voice.RequestId),
            Api.V1.BatchMessage.MessageOneofCase.Wework => BatchEntryInput.Ready(ToMessage(entry.Wework), entry.Wework.RequestId),
            _ => BatchEntryInput.Refused(StatusCodes.Status400BadRequest, [new FieldError($"messages[{index}]", "one of email, rtx, wechat, sms, voice, wework is required")]),
        }).ToArray();

    public static Api.V1.SendBatchResponse ToProto(BatchView batch)
    {
        var response = new Api.V1.SendBatchResponse { Accepted = batch.Accepted, Refused = batch.Refused };
        response.Results.Add(batch.Results.Select(result =>
        {
            var proto = new Api.V1.BatchResult { Index = result.Index, MessageId = result.MessageId ?? "", Replayed = result.Replayed, Status = result.Status };
            proto.Errors.Add(result.Errors.Select(e => new Api.V1.FieldError { Field = e.Field, Reason = e.Reason }));
            return proto;
        }));
        return response;
    }

    public static NotifyMessage ToMessage(Api.V1.SendRtxRequest request) => Base(NotifyChannel.Rtx, request) with
    {
        Receivers = [.. request.Receivers],
        Title = request.Title,
        Body = request.Body,
    };

    public static NotifyMessage ToMessage(Api.V1.SendWechatRequest request) => Base(NotifyChannel.Wechat, request) with
    {
        Receivers = [.. request.Receivers],
        Body = request.Body,
    };

    public static NotifyMessage ToMessage(Api.V1.SendSmsRequest request) => Base(NotifyChannel.Sms, request) with
    {
        Receivers = [.. request.Receivers],
        Body = request.Body,
    };

    public static NotifyMessage ToMessage(Api.V1.SendVoiceRequest request) => Base(NotifyChannel.Voice, request) with
    {
        Receivers = [.. request.Receivers],
        Title = request.TaskName,
        Body = request.Content,
        TransferReceiver = request.TransferReceiver,
        RecallIntervalSeconds = request.Interval,
        RecallTimes = request.RecallTime,
    };

    public static NotifyMessage ToMessage(Api.V1.SendWeworkRequest request) => Base(NotifyChannel.Wework, request) with
    {
        Receivers = [.. request.Receivers],
        Body = request.Message,
        TextType = request.TextType switch
        {
            Api.V1.TextType.Unspecified or Api.V1.TextType.Text => RobotTextType.Text,
            Api.V1.TextType.Markdown => RobotTextType.Markdown,
            _ => (RobotTextType)(-1),
        },
        MentionedList = [.. request.MentionedList],
        MentionedMobileList = [.. request.MentionedMobileList],
        Robot = request.Robot,
    };

    private static NotifyMessage Base(NotifyChannel channel, Api.V1.ISendRequest request) => new()
    {
        Channel = channel,
        Source = request.Source,
        Sender = request.Sender,
        Priority = WireEnums.Priority(request.Priority),
        FrequencyLimitMinutes = request.FrequencyLimit,
        FromSysId = request.FromSysId,
        TofSysId = request.TofSysId,
        DelaySeconds = request.DelaySeconds,
    };

    public static Api.V1.SendResponse ToProto(SubmitResult result) => new() { MessageId = result.MessageId, Replayed = result.Replayed };

    public static MessageQuery ToQuery(Api.V1.ListMessagesRequest request)
    {
        var defaults = new MessageQuery();
        return new MessageQuery
        {
            Channel = FromProto(request.Channel, "channel"),
            Status = request.Status == Api.V1.MessageStatus.Unspecified ? null : FromProto(request.Status),
            Receiver = string.IsNullOrWhiteSpace(request.Receiver) ? null : request.Receiver.Trim(),
            Source = string.IsNullOrWhiteSpace(request.Source) ? null : request.Source.Trim(),
            From = request.From?.ToDateTimeOffset(),
            To = request.To?.ToDateTimeOffset(),
            Page = request.Page == 0 ? defaults.Page : request.Page,
            PageSize = request.PageSize == 0 ? defaults.PageSize : request.PageSize,
            After = string.IsNullOrEmpty(request.After) ? null : request.After,
            CountTotal = !request.SkipTotal,
        };
    }

    /// <summary>Unspecified means "any channel"; a number no channel has is refused, naming <paramref name="field"/>.</summary>
    public static NotifyChannel? FromProto(Api.V1.Channel channel, string field) => channel switch
    {
        Api.V1.Channel.Unspecified => null,
        Api.V1.Channel.Email => NotifyChannel.Email,
        Api.V1.Channel.Rtx => NotifyChannel.Rtx,
        Api.V1.Channel.Wechat => NotifyChannel.Wechat,
        Api.V1.Channel.Sms => NotifyChannel.Sms,
        Api.V1.Channel.Voice => NotifyChannel.Voice,
        Api.V1.Channel.Wework => NotifyChannel.Wework,
        _ => throw NotifyRequestException.Invalid(field, $"unknown channel {(int)channel}"),
    };

    public static Api.V1.MessageRecord ToProto(MessageRecord record)
    {
        var message = record.Message;
        var proto = new Api.V1.MessageRecord
        {
            Id = record.Id,
            Channel = ToProto(message.Channel),
            Status = ToProto(record.Status),
            Title = message.Title,
            Body = message.Body,
            Format = message.Format == EmailFormat.Html ? Api.V1.EmailFormat.Html : Api.V1.EmailFormat.Text,
            TextType = message.TextType == RobotTextType.Markdown ? Api.V1.TextType.Markdown : Api.V1.TextType.Text,
            TransferReceiver = message.TransferReceiver,
            Interval = message.RecallIntervalSeconds,
            RecallTime = message.RecallTimes,
            Priority = (int)message.Priority,
            Source = message.Source,
            Sender = message.Sender,
            FromSysId = message.FromSysId,
            TofSysId = message.TofSysId,
            FrequencyLimit = message.FrequencyLimitMinutes,
            DelaySeconds = message.DelaySeconds,
            ContentMd5 = record.ContentMd5,
            Attempts = record.Attempts,
            RetryCount = record.RetryCount,
            LastError = record.LastError ?? "",
            CreatedAt = Timestamp.FromDateTimeOffset(record.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(record.UpdatedAt),
            NextAttemptAt = ToProto(record.NextAttemptAt),
            CompletedAt = ToProto(record.CompletedAt),
            BodyDroppedAt = ToProto(record.BodyDroppedAt),
            PossibleDuplicate = record.PossibleDuplicate,
            RequestId = record.RequestId ?? "",
            Reference = message.Reference,
        };
        if (record.UnknownOutcomeAttempt is { } unknownAttempt)
        {
            proto.UnknownOutcomeAttempt = unknownAttempt;
        }

        proto.Receivers.Add(record.Receivers.Select(ToProto));
        proto.MentionedList.Add(message.MentionedList);
        proto.MentionedMobileList.Add(message.MentionedMobileList);
        proto.Robot = message.Robot;
        proto.Adjustments.Add(message.Adjustments);
        proto.OperatorActions.Add(record.OperatorActions.Select(action => new Api.V1.OperatorAction
        {
            Kind = action.Kind.WireName(),
            Operator = action.Operator,
            At = Timestamp.FromDateTimeOffset(action.At),
            Receiver = action.Receiver ?? "",
            Note = action.Note ?? "",
            Attempt = action.Attempt ?? 0,
        }));
        return proto;
    }

    public static Api.V1.ListMessagesResponse ToProto(MessagePage page)
    {
        var response = new Api.V1.ListMessagesResponse { Page = page.Page, PageSize = page.PageSize, NextCursor = page.NextCursor ?? "" };
        if (page.Total is { } total)
        {
            response.Total = total;
        }

        response.Items.Add(page.Items.Select(ToProto));
        return response;
    }

    public static Api.V1.WhyNotResponse ToProto(IReadOnlyList<ReceiverHistoryEntry> entries)
    {
        var response = new Api.V1.WhyNotResponse();
        response.Entries.Add(entries.Select(entry => new Api.V1.ReceiverHistoryEntry
        {
            MessageId = entry.MessageId,
            Channel = ToProto(entry.Channel),
            Title = entry.Title,
            CreatedAt = Timestamp.FromDateTimeOffset(entry.CreatedAt),
            MessageStatus = ToProto(entry.MessageStatus),
            Outcome = ToProto(entry.Outcome),
            Explanation = entry.Explanation,
        }));
        return response;
    }

    private static Api.V1.ReceiverOutcome ToProto(ReceiverOutcome outcome)
    {
        var proto = ToProtoWithoutDuplicate(outcome);
        proto.PossibleDuplicate = outcome.PossibleDuplicate;
        if (outcome.UnknownOutcomeAttempt is { } attempt)
        {
            proto.UnknownOutcomeAttempt = attempt;
        }

        return proto;
    }

    private static Api.V1.ReceiverOutcome ToProtoWithoutDuplicate(ReceiverOutcome outcome) => new()
    {
        Receiver = outcome.Receiver,
        Kind = outcome.Kind switch
        {
            RecipientKind.Cc => Api.V1.RecipientKind.Cc,
            RecipientKind.Bcc => Api.V1.RecipientKind.Bcc,
            _ => Api.V1.RecipientKind.To,
        },
        Status = outcome.Status switch
        {
            ReceiverStatus.Pending => Api.V1.ReceiverStatus.Pending,
            ReceiverStatus.Sent => Api.V1.ReceiverStatus.Sent,
            ReceiverStatus.Retrying => Api.V1.ReceiverStatus.Retrying,
            ReceiverStatus.Failed => Api.V1.ReceiverStatus.Failed,
            ReceiverStatus.Suppressed => Api.V1.ReceiverStatus.Suppressed,
            ReceiverStatus.Blocked => Api.V1.ReceiverStatus.Blocked,
            ReceiverStatus.Cancelled => Api.V1.ReceiverStatus.Cancelled,
            _ => Api.V1.ReceiverStatus.Unspecified,
        },
        Reason = outcome.Reason.WireName(),
        Address = outcome.Address ?? "",
        Detail = outcome.Detail ?? "",
        SuppressedBy = outcome.SuppressedBy ?? "",
        Attempts = outcome.Attempts,
        CompletedAt = ToProto(outcome.CompletedAt),
        ProviderMessageId = outcome.ProviderMessageId ?? "",
    };

    private static Api.V1.Channel ToProto(NotifyChannel channel) => channel switch
    {
        NotifyChannel.Email => Api.V1.Channel.Email,
        NotifyChannel.Rtx => Api.V1.Channel.Rtx,
        NotifyChannel.Wechat => Api.V1.Channel.Wechat,
        NotifyChannel.Sms => Api.V1.Channel.Sms,
        NotifyChannel.Voice => Api.V1.Channel.Voice,
        NotifyChannel.Wework => Api.V1.Channel.Wework,
        _ => Api.V1.Channel.Unspecified,
    };

    // The proto enum is the contract's, shifted by one for UNSPECIFIED.
    private static Api.V1.MessageStatus ToProto(MessageStatus status) => (Api.V1.MessageStatus)((int)status + 1);

    private static MessageStatus FromProto(Api.V1.MessageStatus status) =>
        System.Enum.IsDefined((MessageStatus)((int)status - 1))
            ? (MessageStatus)((int)status - 1)
            : throw NotifyRequestException.Invalid("status", $"unknown status {(int)status}");

    private static Timestamp? ToProto(DateTimeOffset? instant) => instant is { } value ? Timestamp.FromDateTimeOffset(value) : null;
}
