using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;

namespace Notify.Silo.Gateway.Admin;

/// <summary>
/// Operator operations behind both surfaces: the blacklist and the contact directory. The grains validate; a
/// missing contact is <see cref="RequestErrorKind.NotFound"/>.
/// </summary>
public sealed class AdminApplication(IGrainFactory grains)
{
    private IBlacklistGrain Blacklist => grains.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);

    public async Task<IReadOnlyList<string>> GetBlacklistAsync() => (await Blacklist.GetAsync()).Users;

    public async Task<IReadOnlyList<string>> AddToBlacklistAsync(IReadOnlyList<string> users) => (await Blacklist.AddAsync(users)).Users;

    public async Task<IReadOnlyList<string>> RemoveFromBlacklistAsync(IReadOnlyList<string> users) => (await Blacklist.RemoveAsync(users)).Users;

    public async Task<Contact> GetContactAsync(string username) =>
        await ContactGrain(username).GetAsync() ?? throw NoContact(username);

    /// <summary>Replaces the user's addresses; <paramref name="contact"/>'s username is the key.</summary>
    public Task<Contact> PutContactAsync(Contact contact) => ContactGrain(contact.Username).PutAsync(contact);

    public async Task DeleteContactAsync(string username)
    {
        if (!await ContactGrain(username).DeleteAsync())
        {
            throw NoContact(username);
        }
    }

    private IContactGrain ContactGrain(string username) =>
        string.IsNullOrWhiteSpace(username)
            ? throw NotifyRequestException.Invalid("username", "is required")
            : grains.GetGrain<IContactGrain>(GrainKeys.Contact(username.Trim()));

    private static NotifyRequestException NoContact(string username) =>
        NotifyRequestException.NotFound("username", $"no contact for '{username}'");
}
