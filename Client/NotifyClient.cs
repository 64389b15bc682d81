using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;

namespace Notify.Client;

/// <summary>
/// The notification cluster for .NET callers, over an Orleans <see cref="IClusterClient"/>. Input is checked here with
/// the cluster's own validator, so a bad request fails without a round trip and with the same
/// <see cref="NotifyRequestException"/> (field and reason) the cluster would give; the cluster checks again.
/// </summary>
public sealed class NotifyClient(IClusterClient cluster)
{
    public const int DefaultWhyNotLimit = 20;

    private IMessageQueryGrain Query => cluster.GetGrain<IMessageQueryGrain>(0);

    private IBlacklistGrain Blacklist => cluster.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);

    /// <summary>Submits any message; returns once the cluster has durably recorded it.</summary>
    public Task<SubmitResult> SendAsync(NotifyMessage message, string? requestId = null)
    {
        NotifyMessageValidator.EnsureValid(message);
        return cluster.GetGrain<INotifyGrain>(0).SubmitAsync(message, requestId);
    }

    public Task<SubmitResult> SendEmailAsync(
        IReadOnlyList<string> receivers,
        string title,
        string body,
        EmailFormat format = EmailFormat.Text,
        IReadOnlyList<string>? cc = null,
        IReadOnlyList<string>? bcc = null,
        SendOptions? options = null) =>
        SendAsync(NotifyChannel.Email, options, new NotifyMessage { Channel = NotifyChannel.Email, Receivers = receivers, Cc = cc ?? [], Bcc = bcc ?? [], Title = title, Body = body, Format = format });

    public Task<SubmitResult> SendRtxAsync(IReadOnlyList<string> receivers, string title, string body, SendOptions? options = null) =>
        SendAsync(NotifyChannel.Rtx, options, new NotifyMessage { Channel = NotifyChannel.Rtx, Receivers = receivers, Title = title, Body = body });

    public Task<SubmitResult> SendWechatAsync(IReadOnlyList<string> receivers, string body, SendOptions? options = null) =>
        SendAsync(NotifyChannel.Wechat, options, new NotifyMessage { Channel = NotifyChannel.Wechat, Receivers = receivers, Body = body });

    public Task<SubmitResult> SendSmsAsync(IReadOnlyList<string> receivers, string body, SendOptions? options = null) =>
        SendAsync(NotifyChannel.Sms, options, new NotifyMessage { Channel = NotifyChannel.Sms, Receivers = receivers, Body = body });

    /// <param name="transferReceiver">Who an unanswered call is transferred to.</param>
    /// <param name="intervalSeconds">Seconds between re-calls.</param>
    /// <param name="recallTimes">How many times an unanswered call is repeated.</param>
    public Task<SubmitResult> SendVoiceAsync(
        IReadOnlyList<string> receivers,
        string content,
        string taskName = "",
        string transferReceiver = "",
        int intervalSeconds = 0,
        int recallTimes = 0,
        SendOptions? options = null) =>
        SendAsync(NotifyChannel.Voice, options, new NotifyMessage
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
    public Task<SubmitResult> SendWeworkAsync(
        IReadOnlyList<string> chatIds,
        string message,
        RobotTextType textType = RobotTextType.Text,
        IReadOnlyList<string>? mentionedList = null,
        SendOptions? options = null) =>
        SendAsync(NotifyChannel.Wework, options, new NotifyMessage { Channel = NotifyChannel.Wework, Receivers = chatIds, Body = message, TextType = textType, MentionedList = mentionedList ?? [] });

    /// <summary>The send record, or null when no message has that id.</summary>
    public Task<MessageRecord?> GetMessageAsync(string messageId) => Query.GetAsync(messageId);

    public Task<MessagePage> ListMessagesAsync(MessageQuery query)
    {
        var errors = query.Validate();
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : Query.ListAsync(query);
    }

    /// <summary>Every message that named <paramref name="receiver"/>, newest first, with what happened and why.</summary>
    public Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = DefaultWhyNotLimit) =>
        Query.WhyNotAsync(receiver, channel, from, to, limit);

    public async Task<IReadOnlyList<string>> GetBlacklistAsync() => (await Blacklist.GetAsync()).Users;

    public async Task<IReadOnlyList<string>> AddToBlacklistAsync(IReadOnlyList<string> users) => (await Blacklist.AddAsync(users)).Users;

    public async Task<IReadOnlyList<string>> RemoveFromBlacklistAsync(IReadOnlyList<string> users) => (await Blacklist.RemoveAsync(users)).Users;

    /// <summary>The user's contact directory entry, or null when there is none.</summary>
    public Task<Contact?> GetContactAsync(string username) => ContactGrain(username).GetAsync();

    /// <summary>Replaces the user's addresses.</summary>
    public Task<Contact> PutContactAsync(Contact contact)
    {
        var errors = contact.Validate();
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : ContactGrain(contact.Username).PutAsync(contact);
    }

    /// <summary>True when there was a contact to delete.</summary>
    public Task<bool> DeleteContactAsync(string username) => ContactGrain(username).DeleteAsync();

    private Task<SubmitResult> SendAsync(NotifyChannel channel, SendOptions? options, NotifyMessage message)
    {
        options ??= SendOptions.Default;
        return SendAsync(options.Apply(message with { Channel = channel }), options.RequestId);
    }

    private IContactGrain ContactGrain(string username) =>
        string.IsNullOrWhiteSpace(username)
            ? throw NotifyRequestException.Invalid("username", "is required")
            : cluster.GetGrain<IContactGrain>(GrainKeys.Contact(username.Trim()));
}
