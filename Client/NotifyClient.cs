using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Ownership;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;

namespace Notify.Client;

/// <summary>
/// The notification cluster over an Orleans <see cref="IClusterClient"/>. Input is checked here with the cluster's own
/// validator, so a bad request fails without a round trip and with the same <see cref="NotifyRequestException"/>
/// (field and reason) the cluster would give; the cluster checks again.
/// </summary>
public sealed partial class NotifyClient(IClusterClient cluster) : INotifyClient
{
    public const int DefaultWhyNotLimit = 20;

    private IMessageQueryGrain Query => cluster.GetGrain<IMessageQueryGrain>(0);

    private IBlacklistGrain Blacklist => cluster.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);

    public Task<SubmitResult> SendAsync(NotifyMessage message, string? requestId = null)
    {
        NotifyMessageValidator.EnsureValid(message);
        return cluster.GetGrain<INotifyGrain>(GrainKeys.NotifyEntry()).SubmitAsync(message, requestId);
    }

    public Task<IReadOnlyList<BatchSubmitResult>> SendBatchAsync(IReadOnlyList<BatchSubmitEntry> entries) =>
        cluster.GetGrain<INotifyGrain>(GrainKeys.NotifyEntry()).SubmitBatchAsync(entries);

    public Task<MessageRecord?> GetMessageAsync(string messageId) => Query.GetAsync(messageId);

    public Task<MessagePage> ListMessagesAsync(MessageQuery query)
    {
        var errors = query.Validate();
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : Query.ListAsync(query);
    }

    public Task<IReadOnlyList<ReceiverHistoryEntry>> WhyNotAsync(string receiver, NotifyChannel? channel = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = DefaultWhyNotLimit) =>
        Query.WhyNotAsync(receiver, channel, from, to, limit, OwnerScope.All);

    public async Task<IReadOnlyList<string>> GetBlacklistAsync() => (await Blacklist.GetAsync()).Users;

    public async Task<IReadOnlyList<string>> AddToBlacklistAsync(IReadOnlyList<string> users) => (await Blacklist.AddAsync(users)).Users;

    public async Task<IReadOnlyList<string>> RemoveFromBlacklistAsync(IReadOnlyList<string> users) => (await Blacklist.RemoveAsync(users)).Users;

    public Task<Contact?> GetContactAsync(string username) => ContactGrain(username).GetAsync();

    public Task<Contact> PutContactAsync(Contact contact)
    {
        var errors = contact.Validate();
        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : ContactGrain(contact.Username).PutAsync(contact);
    }

    public Task<bool> DeleteContactAsync(string username) => ContactGrain(username).DeleteAsync();

    private IContactGrain ContactGrain(string username) =>
        string.IsNullOrWhiteSpace(username)
            ? throw NotifyRequestException.Invalid("username", "is required")
            : cluster.GetGrain<IContactGrain>(GrainKeys.Contact(username.Trim()));
}
