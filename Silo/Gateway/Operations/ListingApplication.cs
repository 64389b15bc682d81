using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Actions;

namespace Notify.Silo.Gateway.Operations;

/// <summary>
/// Keyset-paged lists of action instances, contacts and user groups, behind REST, gRPC and the console. Action
/// instances come from their list shards; contacts and groups from their name index, each entry read from its grain
/// (an entry deleted since it was listed is left out).
/// </summary>
public sealed class ListingApplication(IGrainFactory grains)
{
    public Task<KeysetPage<ActionListEntry>> ListActionsAsync(ActionListQuery query) => ActionListing.ListAsync(grains, query);

    public Task<KeysetPage<Contact>> ListContactsAsync(string? after, int? pageSize) =>
        ListAsync(INameIndexGrain.Contacts, after, pageSize, name => grains.GetGrain<IContactGrain>(GrainKeys.Contact(name)).GetAsync());

    public Task<KeysetPage<UserGroup>> ListUserGroupsAsync(string? after, int? pageSize) =>
        ListAsync(INameIndexGrain.UserGroups, after, pageSize, id => grains.GetGrain<IUserGroupGrain>(ActionKeys.UserGroup(id)).GetAsync());

    private async Task<KeysetPage<T>> ListAsync<T>(string index, string? after, int? pageSize, Func<string, Task<T?>> read) where T : class
    {
        var size = pageSize ?? KeysetCursor.DefaultPageSize;
        var errors = KeysetCursor.Validate(after, size, out var afterName);
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        var names = await grains.GetGrain<INameIndexGrain>(index).PageAsync(afterName, size);
        var entries = await Task.WhenAll(names.Items.Select(read));
        return new KeysetPage<T>(entries.OfType<T>().ToArray(), names.NextCursor);
    }
}
