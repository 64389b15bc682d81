using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Receivers;

/// <summary>
/// The names of one directory in order, for listing (<see cref="INameIndexGrain"/>). Written before its grain's own
/// write returns, so a listed name is one whose write was taken; a name whose entry was deleted meanwhile is skipped
/// by the reader.
/// </summary>
public sealed class NameIndexGrain(
    [PersistentState("name-index", NotifyStorage.Name)] IPersistentState<NameIndexState> state) : Grain, INameIndexGrain
{
    public async Task AddAsync(string name)
    {
        if (state.State.Names.Add(name))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public async Task RemoveAsync(string name)
    {
        if (state.State.Names.Remove(name))
        {
            await state.WriteOrDeactivateAsync(this);
        }
    }

    public Task<KeysetPage<string>> PageAsync(string? afterName, int pageSize) =>
        Task.FromResult(KeysetCursor.Page(state.State.Names, afterName, pageSize));
}

[GenerateSerializer, Alias("notify.NameIndexState")]
public sealed class NameIndexState
{
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}
