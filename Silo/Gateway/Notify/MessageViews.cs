using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Notify;

/// <summary>A send record as REST returns it (camelCase; statuses and reasons snake_case).</summary>
public sealed record MessageView(
    string Id,
    string Channel,
    string Status,
    IReadOnlyList<ReceiverOutcomeView> Receivers,
    string Title,
    string Body,
    string? Format,
    string? TextType,
    IReadOnlyList<string>? MentionedList,
    IReadOnlyList<string>? MentionedMobileList,
    string? Robot,
    string? TransferReceiver,
    int? Interval,
    int? RecallTime,
    int Priority,
    string Source,
    string Sender,
    string FromSysId,
    string TofSysId,
    int FrequencyLimit,
    int DelaySeconds,
    string ContentMd5,
    int Attempts,
    int RetryCount,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? BodyDroppedAt,
    bool PossibleDuplicate,
    int? UnknownOutcomeAttempt,
    string? RequestId,
    string Reference,
    IReadOnlyList<string> Adjustments,
    IReadOnlyList<OperatorActionView> OperatorActions);

/// <summary>An operator's action on the message: <c>kind</c> <c>retry</c> or <c>cancel</c>, who, when, what.</summary>
public sealed record OperatorActionView(string Kind, string Operator, DateTimeOffset At, string? Receiver, string? Note, int? Attempt);

/// <summary>
/// What happened to one receiver; <c>reason</c> is a snake_case code (<c>frequency_limited</c>, <c>blacklisted</c>…);
/// <c>possibleDuplicate</c> with the attempt whose outcome was unknown.
/// </summary>
public sealed record ReceiverOutcomeView(
    string Receiver,
    string Kind,
    string Status,
    string Reason,
    string? Address,
    string? Detail,
    string? SuppressedBy,
    int Attempts,
    DateTimeOffset? CompletedAt,
    string? ProviderMessageId,
    bool PossibleDuplicate,
    int? UnknownOutcomeAttempt);

/// <summary>A page of the list; <c>total</c> is null when not counted, <c>nextCursor</c> (for <c>after</c>) null on the last page.</summary>
public sealed record MessagePageView(IReadOnlyList<MessageView> Items, long? Total, int Page, int PageSize, string? NextCursor);

/// <summary>One message as seen from one receiver, with a sentence saying what happened and why.</summary>
public sealed record WhyNotView(
    string MessageId,
    string Channel,
    string Title,
    DateTimeOffset CreatedAt,
    string MessageStatus,
    ReceiverOutcomeView Outcome,
    string Explanation);

public static class MessageViewMapper
{
    public static MessageView ToView(MessageRecord record)
    {
        var message = record.Message;
        var channel = message.Channel;
        return new MessageView(
            record.Id,
            channel.Name(),
            WireEnums.Name(record.Status),
            record.Receivers.Select(ToView).ToArray(),
            message.Title,
            message.Body,
            channel == NotifyChannel.Email ? WireEnums.Name(message.Format) : null,
            channel == NotifyChannel.Wework ? WireEnums.Name(message.TextType) : null,
            channel == NotifyChannel.Wework ? message.MentionedList : null,
            channel == NotifyChannel.Wework ? message.MentionedMobileList : null,
            channel == NotifyChannel.Wework ? message.Robot : null,
            channel == NotifyChannel.Voice ? message.TransferReceiver : null,
            channel == NotifyChannel.Voice ? message.RecallIntervalSeconds : null,
            channel == NotifyChannel.Voice ? message.RecallTimes : null,
            (int)message.Priority,
            message.Source,
            message.Sender,
            message.FromSysId,
            message.TofSysId,
            message.FrequencyLimitMinutes,
            message.DelaySeconds,
            record.ContentMd5,
            record.Attempts,
            record.RetryCount,
            record.LastError,
            record.CreatedAt,
            record.UpdatedAt,
            record.NextAttemptAt,
            record.CompletedAt,
            record.BodyDroppedAt,
            record.PossibleDuplicate,
            record.UnknownOutcomeAttempt,
            record.RequestId,
            message.Reference,
            message.Adjustments,
            record.OperatorActions.Select(a => new OperatorActionView(a.Kind.WireName(), a.Operator, a.At, a.Receiver, a.Note, a.Attempt)).ToArray());
    }

    public static ReceiverOutcomeView ToView(ReceiverOutcome outcome) => new(
        outcome.Receiver,
        WireEnums.Name(outcome.Kind),
        WireEnums.Name(outcome.Status),
        outcome.Reason.WireName(),
        outcome.Address,
        outcome.Detail,
        outcome.SuppressedBy,
        outcome.Attempts,
        outcome.CompletedAt,
        outcome.ProviderMessageId,
        outcome.PossibleDuplicate,
        outcome.UnknownOutcomeAttempt);

    public static MessagePageView ToView(MessagePage page) => new(page.Items.Select(ToView).ToArray(), page.Total, page.Page, page.PageSize, page.NextCursor);

    public static WhyNotView ToView(ReceiverHistoryEntry entry) => new(
        entry.MessageId,
        entry.Channel.Name(),
        entry.Title,
        entry.CreatedAt,
        WireEnums.Name(entry.MessageStatus),
        ToView(entry.Outcome),
        entry.Explanation);
}
