using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Abstractions.Grains;

/// <summary>
/// The names of one directory (contact usernames, user group ids), so they can be listed in pages: kept by the
/// directory's grains as they are written and deleted. Admin writes only, off the send path. Keyed by
/// <see cref="Contacts"/> or <see cref="UserGroups"/>.
/// </summary>
[Alias("notify.INameIndexGrain")]
public interface INameIndexGrain : IGrainWithStringKey
{
    public const string Contacts = "index:contacts";
    public const string UserGroups = "index:usergroups";

    [Alias("Add")]
    Task AddAsync(string name);

    [Alias("Remove")]
    Task RemoveAsync(string name);

    /// <summary>Names after <paramref name="afterName"/> in ordinal order.</summary>
    [Alias("Page")]
    Task<KeysetPage<string>> PageAsync(string? afterName, int pageSize);
}
