using Notify.Client.Gateway;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;

namespace Notify.Client;

/// <summary>
/// The notification cluster's operations for .NET callers, the same whichever way the cluster is reached: over Orleans
/// (<see cref="NotifyClient"/>) or over the gRPC gateway (<see cref="NotifyGatewayClient"/>). Invalid input throws
/// <see cref="NotifyRequestException"/> naming the fields, checked locally with the cluster's own validator first.
/// </summary>
public partial interface INotifyClient : IActionClient
{
    /// <summary>Submits any message; returns once the cluster has durably recorded it.</summary>
    Task<SubmitResult> SendAsync(NotifyMessage message, string? requestId = null);

    /// <summary>
    /// Submits 1-<see cref="NotifyLimits.MaxBatchMessages"/> messages of any channels in one call: one result per
    /// entry, in order, each accepted (durably recorded) or refused with its field errors (named as for a single send).
    /// </summary>
    Task<IReadOnlyList<BatchSubmitResult>> SendBatchAsync(IReadOnlyList<BatchSubmitEntry> entries);

    /// <summary>The send record, or null when no message has that id.</summary>
    Task<MessageRecord?> GetMessageAsync(string messageId);

    Task<MessagePage> ListMessagesAsync(MessageQuery query);

    /// <summary>Every message that named <paramref name="receiver"/>, newest first, with what happened and why.</summary>
    Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = NotifyClient.DefaultWhyNotLimit);

    Task<IReadOnlyList<string>> GetBlacklistAsync();

    Task<IReadOnlyList<string>> AddToBlacklistAsync(IReadOnlyList<string> users);

    Task<IReadOnlyList<string>> RemoveFromBlacklistAsync(IReadOnlyList<string> users);

    /// <summary>The user's contact directory entry, or null when there is none.</summary>
    Task<Contact?> GetContactAsync(string username);

    /// <summary>Replaces the user's addresses.</summary>
    Task<Contact> PutContactAsync(Contact contact);

    /// <summary>True when there was a contact to delete.</summary>
    Task<bool> DeleteContactAsync(string username);
}

/// <summary>One typed send per channel, over any <see cref="INotifyClient"/>.</summary>
public static class NotifyClientSends
{
    public static Task<SubmitResult> SendEmailAsync(
        this INotifyClient client,
        IReadOnlyList<string> receivers,
        string title,
        string body,
        EmailFormat format = EmailFormat.Text,
        IReadOnlyList<string>? cc = null,
        IReadOnlyList<string>? bcc = null,
        SendOptions? options = null) =>
        client.SendWithOptionsAsync(NotifyChannel.Email, options, new NotifyMessage { Channel = NotifyChannel.Email, Receivers = receivers, Cc = cc ?? [], Bcc = bcc ?? [], Title = title, Body = body, Format = format });

    public static Task<SubmitResult> SendRtxAsync(this INotifyClient client, IReadOnlyList<string> receivers, string title, string body, SendOptions? options = null) =>
        client.SendWithOptionsAsync(NotifyChannel.Rtx, options, new NotifyMessage { Channel = NotifyChannel.Rtx, Receivers = receivers, Title = title, Body = body });

    public static Task<SubmitResult> SendWechatAsync(this INotifyClient client, IReadOnlyList<string> receivers, string body, SendOptions? options = null) =>
        client.SendWithOptionsAsync(NotifyChannel.Wechat, options, new NotifyMessage { Channel = NotifyChannel.Wechat, Receivers = receivers, Body = body });

    public static Task<SubmitResult> SendSmsAsync(this INotifyClient client, IReadOnlyList<string> receivers, string body, SendOptions? options = null) =>
        client.SendWithOptionsAsync(NotifyChannel.Sms, options, new NotifyMessage { Channel = NotifyChannel.Sms, Receivers = receivers, Body = body });

    /// <param name="client">The client.</param>
    /// <param name="receivers">Phone numbers or usernames.</param>
    /// <param name="content">What the call says.</param>
    /// <param name="taskName">The call task name.</param>
    /// <param name="transferReceiver">Who an unanswered call is transferred to.</param>
    /// <param name="intervalSeconds">Seconds between re-calls.</param>
    /// <param name="recallTimes">How many times an unanswered call is repeated.</param>
    /// <param name="options">Base fields.</param>
    public static Task<SubmitResult> SendVoiceAsync(
        this INotifyClient client,
        IReadOnlyList<string> receivers,
        string content,
        string taskName = "",
        string transferReceiver = "",
        int intervalSeconds = 0,
        int recallTimes = 0,
        SendOptions? options = null) =>
        client.SendWithOptionsAsync(NotifyChannel.Voice, options, new NotifyMessage
        {
            Channel = NotifyChannel.Voice,
            Receivers = receivers,
            Title = taskName,
            Body = content,
            TransferReceiver = transferReceiver,
            RecallIntervalSeconds = intervalSeconds,
            RecallTimes = recallTimes,
        });

    /// <summary>The WeCom group robot: <paramref name="chatIds"/> are robot chat ids.</summary>
    /// <param name="client">The client.</param>
    /// <param name="chatIds">Robot chat ids (or user ids, for the robot's single chat).</param>
    /// <param name="message">The text or markdown.</param>
    /// <param name="textType">Text or markdown.</param>
    /// <param name="mentionedList">User ids to @-mention ("@all" allowed).</param>
    /// <param name="options">Base fields.</param>
    /// <param name="robot">A configured robot's name (<c>Channels:Wework:Robots:&lt;name&gt;</c>); empty for the default one.</param>
    /// <param name="mentionedMobileList">Text messages only: phone numbers to @-mention ("@all" allowed).</param>
    public static Task<SubmitResult> SendWeworkAsync(
        this INotifyClient client,
        IReadOnlyList<string> chatIds,
        string message,
        RobotTextType textType = RobotTextType.Text,
        IReadOnlyList<string>? mentionedList = null,
        SendOptions? options = null,
        string robot = "",
        IReadOnlyList<string>? mentionedMobileList = null) =>
        client.SendWithOptionsAsync(NotifyChannel.Wework, options, new NotifyMessage
        {
            Channel = NotifyChannel.Wework,
            Receivers = chatIds,
            Body = message,
            TextType = textType,
            MentionedList = mentionedList ?? [],
            Robot = robot,
            MentionedMobileList = mentionedMobileList ?? [],
        });

    /// <summary>
    /// A file, image or voice message to WeCom group robot chats (at most <see cref="WeworkMedia.MaxBytes"/>; build the
    /// media with <see cref="WeworkMedia.Create"/>). Over the Orleans client only: the gRPC gateway does not carry media
    /// (its REST path <c>/service/notifies/wework/media</c> does).
    /// </summary>
    public static Task<SubmitResult> SendWeworkMediaAsync(
        this INotifyClient client,
        IReadOnlyList<string> chatIds,
        WeworkMedia media,
        string robot = "",
        SendOptions? options = null) =>
        client.SendWithOptionsAsync(NotifyChannel.Wework, options, new NotifyMessage { Channel = NotifyChannel.Wework, Receivers = chatIds, Media = media, Robot = robot });

    private static Task<SubmitResult> SendWithOptionsAsync(this INotifyClient client, NotifyChannel channel, SendOptions? options, NotifyMessage message)
    {
        options ??= SendOptions.Default;
        return client.SendAsync(options.Apply(message with { Channel = channel }), options.RequestId);
    }
}
