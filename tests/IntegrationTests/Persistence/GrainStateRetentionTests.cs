using Notify.Grains.Records;
using Notify.Silo.Persistence;
using Npgsql;
using Orleans.Configuration;
using Microsoft.Extensions.Options;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

/// <summary>
/// The retention pass over grain states on the Postgres profile: states written by a real silo, back-dated in the
/// database (their <c>modifiedon</c> is the server's clock), then purged by state name, service and age.
/// </summary>
public sealed class GrainStateRetentionTests(PostgresSiloFixture fixture) : IClassFixture<PostgresSiloFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Purge_BackDatedStatesOfOneName_DeletesExactlyThoseInBatchesAndTheGrainStartsEmpty()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var keys = Enumerable.Range(0, 5).Select(i => $"t:retention-{run}-{i}").ToArray();
        foreach (var key in keys)
        {
            var grain = fixture.Silo.Grains.GetGrain<IStateProbeGrain>(key);
            await grain.SetAsync("kept until purged");
            await grain.DeactivateAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        // Three of the five are ten days old; another service's equally old row of the same name is not ours to delete.
        await ExecuteAsync(dataSource,
            "UPDATE orleansstorage SET modifiedon = now() - interval '10 days' WHERE graintypestring = $1 AND grainidextensionstring = ANY($2)",
            StateProbeGrain.StateName, keys[..3]);
        await ExecuteAsync(dataSource,
            """
            INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
            VALUES (1, 0, 0, 1, $1, $2, 'another-service', NULL, now() - interval '10 days', 1)
            """,
            StateProbeGrain.StateName, $"t:other-{run}");
        var purger = new PostgresGrainStatePurger(dataSource, Options.Create(new ClusterOptions { ServiceId = fixture.ServiceId }));
        var due = new ExpiredStates(StateProbeGrain.StateName, "probe", DateTimeOffset.UtcNow.AddDays(-1));

        var purged = await RecordRetentionGrain.PurgeAsync(purger, due, batchSize: 2, maxBatches: 10);
        var again = await RecordRetentionGrain.PurgeAsync(purger, due, batchSize: 2, maxBatches: 10);

        Assert.Equal((3, 0), (purged, again));
        var left = await ScalarAsync<long>(dataSource, "SELECT count(*) FROM orleansstorage WHERE graintypestring = $1 AND grainidextensionstring LIKE $2",
            StateProbeGrain.StateName, $"t:%{run}%");
        Assert.Equal(3, left);
        Assert.Null(await fixture.Silo.Grains.GetGrain<IStateProbeGrain>(keys[0]).GetAsync());
        Assert.Equal("kept until purged", await fixture.Silo.Grains.GetGrain<IStateProbeGrain>(keys[4]).GetAsync());
    }

    [Fact]
    public async Task Purge_StoreDown_ThrowsUnavailableNamingTheState()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=2");
        var purger = new PostgresGrainStatePurger(dataSource, Options.Create(new ClusterOptions { ServiceId = fixture.ServiceId }));

        var error = await Assert.ThrowsAsync<RecordStoreUnavailableException>(() => purger.DeleteWrittenBeforeAsync("idempotency-key", DateTimeOffset.UtcNow, 10, Cancellation));

        Assert.Contains("idempotency-key", error.Message);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(Cancellation);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync(Cancellation))!;
    }
}
