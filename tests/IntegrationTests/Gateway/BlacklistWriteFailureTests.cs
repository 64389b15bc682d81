using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Notify.Grains;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Orleans.Serialization;
using Orleans.Storage;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// A blacklist add whose write fails leaves nothing half-applied: the blacklist reads as it was stored, and no silo's
/// cache blocks an address that was never stored.
/// </summary>
public sealed class BlacklistWriteFailureTests
{
    [Fact]
    public async Task Add_WriteFails_BlacklistAsStoredAndNothingBlocked()
    {
        var storage = new RefusingGrainStorage();
        await using var cluster = await NotifyTestCluster.StartAsync(o =>
            o.SiloServices.Add(services => services.AddKeyedSingleton<IGrainStorage>(NotifyStorage.Name, (provider, _) => storage.Using(provider.GetRequiredService<DeepCopier>()))));
        var blacklist = cluster.Client.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist);
        var kept = $"{Guid.NewGuid():N}@example.com";
        var lost = $"{Guid.NewGuid():N}@example.com";
        await blacklist.AddAsync([kept]);

        storage.RefuseWritesOf = "blacklist";
        await Assert.ThrowsAnyAsync<Exception>(() => blacklist.AddAsync([lost, $"{Guid.NewGuid():N}@example.com"]));
        var afterFailure = await blacklist.GetAsync();
        storage.RefuseWritesOf = null;

        Assert.Equal([kept], afterFailure.Users);
        var sent = await cluster.Notify.SubmitAsync(new NotifyMessage { Channel = NotifyChannel.Email, Receivers = [lost], Title = "t", Body = "b" });
        var record = await cluster.WaitForFinalAsync(sent.MessageId);
        Assert.Equal(MessageStatus.Sent, record.Status);
    }

    /// <summary>Grain storage in memory (deep copies, as a store holds bytes) that refuses writes of one state when told.</summary>
    private sealed class RefusingGrainStorage : IGrainStorage
    {
        private readonly ConcurrentDictionary<(string, GrainId), (object State, string ETag)> _stored = new();
        private DeepCopier? _copier;

        public volatile string? RefuseWritesOf;

        public RefusingGrainStorage Using(DeepCopier copier)
        {
            _copier = copier;
            return this;
        }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_stored.TryGetValue((stateName, grainId), out var stored))
            {
                grainState.State = _copier!.Copy((T)stored.State);
                grainState.ETag = stored.ETag;
                grainState.RecordExists = true;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (stateName == RefuseWritesOf)
            {
                throw new InvalidOperationException($"the test storage refuses writes of {stateName}");
            }

            var etag = Guid.NewGuid().ToString("N");
            _stored[(stateName, grainId)] = (_copier!.Copy(grainState.State)!, etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            _stored.TryRemove((stateName, grainId), out _);
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
