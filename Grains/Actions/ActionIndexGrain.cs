using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Actions;

/// <summary>
/// One shard of the action instance list. Instances tell it of every change one-way, so listing costs them no wait;
/// changes are written together at most once a <see cref="WriteDelay"/> (an instance changes several times within a
/// notice), and on deactivation. An entry lost with its silo before that write comes back with the instance's next change.
/// </summary>
public sealed partial class ActionIndexGrain(
    [PersistentState("action-index", NotifyStorage.Name)] IPersistentState<ActionIndexState> state,
    ILogger<ActionIndexGrain> logger) : Grain, IActionIndexGrain
{
    public static readonly TimeSpan WriteDelay = TimeSpan.FromSeconds(1);

    private IGrainTimer? _pendingWrite;

    public Task UpsertAsync(ActionListEntry entry)
    {
        if (state.State.Entries.GetValueOrDefault(entry.ListKey) is { } listed && listed.UpdatedAt > entry.UpdatedAt)
        {
            return Task.CompletedTask; // a one-way call overtaken by a later one
        }

        state.State.Entries[entry.ListKey] = entry;
        ScheduleWrite();
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string listKey)
    {
        if (state.State.Entries.Remove(listKey))
        {
            ScheduleWrite();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ActionListEntry>> PageAsync(ActionListQuery query, string? afterId) =>
        Task.FromResult<IReadOnlyList<ActionListEntry>>(state.State.Entries
            .Where(e => (afterId is null || string.CompareOrdinal(e.Key, afterId) > 0) && query.Matches(e.Value))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(query.PageSize + 1)
            .Select(e => e.Value)
            .ToArray());

    public Task<IReadOnlyDictionary<ActionStatus, int>> CountByStatusAsync() =>
        Task.FromResult<IReadOnlyDictionary<ActionStatus, int>>(state.State.Entries.Values.GroupBy(e => e.Status).ToDictionary(g => g.Key, g => g.Count()));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pendingWrite is not null)
        {
            await WriteAsync(cancellationToken);
        }
    }

    private void ScheduleWrite() =>
        _pendingWrite ??= this.RegisterGrainTimer(WriteAsync, new GrainTimerCreationOptions(WriteDelay, Timeout.InfiniteTimeSpan));

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Kept in memory and tried again with the next change; the instances hold the truth.
            LogWriteFailed(exception, this.GetPrimaryKeyString());
        }
        finally
        {
            // Disposed only after the write: disposing a timer cancels the token its own callback was given, which
            // made every timed write fail before it started.
            _pendingWrite?.Dispose();
            _pendingWrite = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action list shard {Shard}: the write failed; it is retried with the next change")]
    private partial void LogWriteFailed(Exception exception, string shard);
}

[GenerateSerializer, Alias("notify.ActionIndexState")]
public sealed class ActionIndexState
{
    [Id(0)] public Dictionary<string, ActionListEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Reads the action list across its shards: each gives its first matching entries after the cursor, merged in id order.</summary>
public static class ActionListing
{
    public static async Task<KeysetPage<ActionListEntry>> ListAsync(IGrainFactory grains, ActionListQuery query)
    {
        var errors = query.Validate(out var afterId);
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        var shards = await Task.WhenAll(Enumerable.Range(0, ActionKeys.IndexShards)
            .Select(shard => grains.GetGrain<IActionIndexGrain>(ActionKeys.IndexShardKey(shard)).PageAsync(query, afterId)));
        var merged = shards.SelectMany(s => s).OrderBy(e => e.ListKey, StringComparer.Ordinal).Take(query.PageSize + 1).ToList();
        var more = merged.Count > query.PageSize;
        if (more)
        {
            merged.RemoveAt(query.PageSize);
        }

        return new KeysetPage<ActionListEntry>(merged, more ? KeysetCursor.Encode(merged[^1].ListKey) : null);
    }

    /// <summary>How many instances are in each status, cluster-wide.</summary>
    public static async Task<IReadOnlyDictionary<ActionStatus, int>> CountByStatusAsync(IGrainFactory grains)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, ActionKeys.IndexShards)
            .Select(shard => grains.GetGrain<IActionIndexGrain>(ActionKeys.IndexShardKey(shard)).CountByStatusAsync()));
        return shards.SelectMany(s => s).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
    }
}
