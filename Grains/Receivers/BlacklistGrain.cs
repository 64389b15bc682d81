using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Receivers;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Receivers;

/// <summary>
/// Who never receives anything, on any channel, as receiver, cc or bcc. Every change is pushed to each silo's
/// <see cref="BlacklistCache"/> before the call returns, so it applies to the whole cluster at once (BK-CI kept a
/// per-node cache for 3 hours and invalidated only the node that made the change). A blacklisted username blocks the
/// contact's addresses: adding one reads the contact (<see cref="IContactGrain.GetAsync"/> interleaves, so it answers
/// even while that contact's write waits on <see cref="ContactChangedAsync"/> here), and later changes arrive from the
/// contact grain.
/// </summary>
public sealed partial class BlacklistGrain(
    [PersistentState("blacklist", NotifyStorage.Name)] IPersistentState<BlacklistState> state,
    TimeProvider time,
    ILogger<BlacklistGrain> logger) : Grain, IBlacklistGrain
{
    public const int MaxUsersPerChange = 1000;
    private static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<IBlacklistObserver, DateTimeOffset> _subscribers = [];

    public Task<BlacklistSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<BlacklistSnapshot> AddAsync(IReadOnlyList<string> users)
    {
        var newEntries = ValidateEntries(users).Distinct(StringComparer.Ordinal).Where(user => !state.State.Users.ContainsKey(user)).ToList();
        if (newEntries.Count == 0)
        {
            return Snapshot();
        }

        // Every contact is read before anything changes, so a read that fails leaves the blacklist as it was.
        var addresses = await Task.WhenAll(newEntries.Select(KnownAddressesAsync));
        var next = Copy();
        for (var i = 0; i < newEntries.Count; i++)
        {
            next[newEntries[i]] = addresses[i];
        }

        return await CommitAsync(next);
    }

    public async Task<BlacklistSnapshot> RemoveAsync(IReadOnlyList<string> users)
    {
        var next = Copy();
        var removed = false;
        foreach (var user in ValidateEntries(users))
        {
            removed |= next.Remove(user);
        }

        return removed ? await CommitAsync(next) : Snapshot();
    }

    public async Task ContactChangedAsync(string username, Contact? contact)
    {
        var key = Normalize(username);
        if (state.State.Users.ContainsKey(key))
        {
            var next = Copy();
            next[key] = contact?.Addresses().ToList() ?? [];
            await CommitAsync(next);
        }
    }

    public Task SubscribeAsync(IBlacklistObserver observer)
    {
        _subscribers[observer] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    private Dictionary<string, List<string>> Copy() => new(state.State.Users, StringComparer.Ordinal);

    /// <summary>
    /// Makes <paramref name="users"/> the blacklist once it is stored. Changes are built on a copy, so a write that fails
    /// leaves the blacklist in memory exactly as stored (nothing half-applied, even for calls this activation still
    /// serves), and no silo's cache hears of a change that is not durable.
    /// </summary>
    private async Task<BlacklistSnapshot> CommitAsync(Dictionary<string, List<string>> users)
    {
        var stored = state.State;
        state.State = new BlacklistState { Users = users, Version = stored.Version + 1 };
        try
        {
            await state.WriteOrDeactivateAsync(this);
        }
        catch
        {
            state.State = stored;
            throw;
        }

        var snapshot = Snapshot();
        await PushAsync(snapshot);
        return snapshot;
    }

    private async Task PushAsync(BlacklistSnapshot snapshot)
    {
        var now = time.GetUtcNow();
        foreach (var stale in _subscribers.Where(s => now - s.Value > SubscriptionLifetime).Select(s => s.Key).ToList())
        {
            _subscribers.Remove(stale);
        }

        var pushes = _subscribers.Keys.Select(async observer =>
        {
            try
            {
                await observer.OnBlacklistChangedAsync(snapshot).WaitAsync(NotifyTimeout);
            }
            catch (Exception exception)
            {
                // The silo's cache also polls the version, so a missed push heals on its next refresh.
                LogPushFailed(exception, snapshot.Version);
                _subscribers.Remove(observer);
            }
        });
        await Task.WhenAll(pushes.ToList());
    }

    private async Task<List<string>> KnownAddressesAsync(string entry)
    {
        if (!ReceiverSyntax.IsUsername(entry))
        {
            return [];
        }

        var contact = await GrainFactory.GetGrain<IContactGrain>(GrainKeys.Contact(entry)).GetAsync();
        return contact?.Addresses().ToList() ?? [];
    }

    private BlacklistSnapshot Snapshot() => new(
        state.State.Version,
        state.State.Users.Keys.Order(StringComparer.Ordinal).ToArray(),
        state.State.Users.Values.SelectMany(a => a).Select(Normalize).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    private static List<string> ValidateEntries(IReadOnlyList<string>? users)
    {
        if (users is null || users.Count == 0)
        {
            throw NotifyRequestException.Invalid("users", "must list at least one user");
        }

        if (users.Count > MaxUsersPerChange)
        {
            throw NotifyRequestException.Invalid("users", $"has {users.Count} entries; at most {MaxUsersPerChange} are allowed per change");
        }

        var errors = new List<FieldError>();
        var entries = new List<string>();
        for (var i = 0; i < users.Count; i++)
        {
            var entry = users[i]?.Trim() ?? "";
            if (ReceiverSyntax.IsUsername(entry) || ReceiverSyntax.IsEmailAddress(entry) || ReceiverSyntax.IsPhone(entry) || ReceiverSyntax.IsAccountId(entry))
            {
                entries.Add(Normalize(entry));
            }
            else
            {
                errors.Add(new FieldError($"users[{i}]", $"'{entry}' is not a username, e-mail address, phone number or account id"));
            }
        }

        return errors.Count > 0 ? throw NotifyRequestException.Invalid(errors) : entries;
    }

    /// <summary>Blacklist entries compare case-insensitively.</summary>
    public static string Normalize(string value) => value.Trim().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing blacklist version {Version} to a silo failed; it will catch up on its next refresh")]
    private partial void LogPushFailed(Exception exception, long version);
}

[GenerateSerializer, Alias("notify.BlacklistState")]
public sealed class BlacklistState
{
    /// <summary>Blacklisted entry (normalized) → the addresses the contact directory knows for it.</summary>
    [Id(0)] public Dictionary<string, List<string>> Users { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }
}
