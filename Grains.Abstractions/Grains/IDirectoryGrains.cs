using Notify.Grains.Abstractions.Receivers;
using Orleans.Concurrency;

namespace Notify.Grains.Abstractions.Grains;

/// <summary>A user's addresses per channel. Keyed by <see cref="GrainKeys.Contact"/>.</summary>
[Alias("notify.IContactGrain")]
public interface IContactGrain : IGrainWithStringKey
{
    /// <summary>
    /// Answers even while a write of this contact is waiting on the blacklist: the blacklist reads contacts while a
    /// contact write calls <see cref="IBlacklistGrain.ContactChangedAsync"/>, and the two calls must not wait on each
    /// other. A pure read of the grain's state, so interleaving it is safe.
    /// </summary>
    [Alias("Get"), AlwaysInterleave]
    Task<Contact?> GetAsync();

    [Alias("Put")]
    Task<Contact> PutAsync(Contact contact);

    /// <summary>True when there was a contact to delete.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();
}

/// <summary>Who never receives anything. One grain (<see cref="GrainKeys.Blacklist"/>); silos cache its snapshot and are pushed every change.</summary>
[Alias("notify.IBlacklistGrain")]
public interface IBlacklistGrain : IGrainWithStringKey
{
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<BlacklistSnapshot> GetAsync();

    /// <summary>Adds users; returns after every subscribed silo has the new snapshot.</summary>
    [Alias("Add")]
    Task<BlacklistSnapshot> AddAsync(IReadOnlyList<string> users);

    [Alias("Remove")]
    Task<BlacklistSnapshot> RemoveAsync(IReadOnlyList<string> users);

    /// <summary>A contact changed: refresh the blocked addresses if the user is blacklisted.</summary>
    [Alias("ContactChanged")]
    Task ContactChangedAsync(string username, Contact? contact);

    [Alias("Subscribe")]
    Task SubscribeAsync(IBlacklistObserver observer);
}

/// <summary>A silo's blacklist cache, told of every change.</summary>
[Alias("notify.IBlacklistObserver")]
public interface IBlacklistObserver : IGrainObserver
{
    [Alias("OnChanged")]
    Task OnBlacklistChangedAsync(BlacklistSnapshot snapshot);
}
