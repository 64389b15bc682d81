using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Receivers;

/// <summary>One user's addresses per channel: the contact directory entry that usernames resolve through.</summary>
public sealed class ContactGrain(
    [PersistentState("contact", NotifyStorage.Name)] IPersistentState<ContactState> state,
    TimeProvider time) : Grain, IContactGrain
{
    public Task<Contact?> GetAsync() => Task.FromResult(state.State.Contact);

    public async Task<Contact> PutAsync(Contact contact)
    {
        var errors = contact.Validate();
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        if (GrainKeys.Contact(contact.Username) != this.GetPrimaryKeyString())
        {
            throw NotifyRequestException.Invalid("username", $"'{contact.Username}' does not match the contact being written");
        }

        state.State.Contact = contact with { UpdatedAt = time.GetUtcNow() };
        await state.WriteOrDeactivateAsync(this);
        await GrainFactory.GetGrain<INameIndexGrain>(INameIndexGrain.Contacts).AddAsync(contact.Username.ToLowerInvariant());
        await BlacklistChangedAsync(contact.Username, state.State.Contact);
        return state.State.Contact;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Contact is not { } existing)
        {
            return false;
        }

        state.State.Contact = null;
        await state.WriteOrDeactivateAsync(this);
        await GrainFactory.GetGrain<INameIndexGrain>(INameIndexGrain.Contacts).RemoveAsync(existing.Username.ToLowerInvariant());
        await BlacklistChangedAsync(existing.Username, null);
        return true;
    }

    // The blacklist blocks a user's known addresses too, so it must hear about address changes.
    private Task BlacklistChangedAsync(string username, Contact? contact) =>
        GrainFactory.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist).ContactChangedAsync(username, contact);
}

[GenerateSerializer, Alias("notify.ContactState")]
public sealed class ContactState
{
    [Id(0)] public Contact? Contact { get; set; }
}
