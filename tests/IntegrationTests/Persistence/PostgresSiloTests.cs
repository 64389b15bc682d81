using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Grains.Abstractions;
using Notify.Grains.Records;
using Notify.Silo.Persistence;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

/// <summary>A real silo on the Postgres profile: clustering, grain storage, reminders and the record store.</summary>
public sealed class PostgresSiloTests(PostgresSiloFixture fixture) : IClassFixture<PostgresSiloFixture>
{
    private static readonly TimeSpan ReminderWait = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private IGrainFactory Grains => fixture.Silo.Grains;

    [Fact]
    public async Task Start_EmptyDatabase_AppliesTheSchemaBeforeTheProvidersAndJoinsAsActive()
    {
        var scripts = await ScalarAsync<long>("SELECT count(*) FROM notify_schema_version");
        var status = await ScalarAsync<int>(
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = $1 AND ProxyPort = $2", fixture.ClusterId, fixture.Silo.GatewayPort);

        Assert.Equal(SchemaMigrator.Scripts.Count, scripts);
        Assert.Equal((int)SiloStatus.Active, status);
    }

    [Fact]
    public async Task ExternalClient_PostgresClustering_FindsTheGatewayAndCallsAGrain()
    {
        await Grains.GetGrain<IStateProbeGrain>("t:client").SetAsync("through the gateway");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = fixture.ClusterId;
                options.ServiceId = fixture.ServiceId;
            });
            client.UseNotifyPostgresClustering(fixture.ConnectionString);
        });
        using var host = builder.Build();
        await host.StartAsync(Cancellation);

        var value = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IStateProbeGrain>("t:client").GetAsync();

        await host.StopAsync(Cancellation);
        Assert.Equal("through the gateway", value);
    }

    [Fact]
    public async Task WriteState_ThenDeactivation_NewActivationReadsItFromStorage()
    {
        var grain = Grains.GetGrain<IStateProbeGrain>("t:survivor");
        await grain.SetAsync("kept");

        await grain.DeactivateAsync();
        var value = await grain.GetAsync();

        Assert.Equal("kept", value);
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE serviceid = $1 AND grainidextensionstring = $2 AND payloadbinary IS NOT NULL",
            fixture.ServiceId, "t:survivor"));
    }

    [Fact]
    public async Task WriteState_StoredVersionMovedOn_RaisesInconsistentStateException()
    {
        var grain = Grains.GetGrain<IStateProbeGrain>("t:conflict");
        await grain.SetAsync("first");
        // Another activation (a split brain) writes the state behind this one's back.
        var storage = Storage;
        var grainId = grain.GetGrainId();
        var other = new GrainState<StateProbe>(new StateProbe());
        await storage.ReadStateAsync(StateProbeGrain.StateName, grainId, other);
        other.State = new StateProbe { Value = "other" };
        await storage.WriteStateAsync(StateProbeGrain.StateName, grainId, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.SetAsync("second"));

        Assert.Equal("other", await grain.GetAsync());
    }

    [Fact]
    public async Task WriteState_ConcurrentFirstWritesOfOneState_ExactlyOneWins()
    {
        var storage = Storage;
        var grainId = GrainId.Create("stateprobe", "t:race");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            try
            {
                await storage.WriteStateAsync(StateProbeGrain.StateName, grainId, new GrainState<StateProbe>(new StateProbe { Value = $"writer {writer}" }));
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        Assert.Equal(1L, await CountRowsAsync("t:race"));
    }

    [Fact]
    public async Task ClearState_CurrentEtag_KeepsTheRowWithoutPayloadAndRejectsAStaleEtag()
    {
        var storage = Storage;
        var grainId = GrainId.Create("stateprobe", "t:clear");
        var state = new GrainState<StateProbe>(new StateProbe { Value = "to be cleared" });
        await storage.WriteStateAsync(StateProbeGrain.StateName, grainId, state);
        var written = state.ETag;

        await storage.ClearStateAsync(StateProbeGrain.StateName, grainId, state);

        var read = new GrainState<StateProbe>(new StateProbe());
        await storage.ReadStateAsync(StateProbeGrain.StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.NotEqual(written, read.ETag);
        var stale = new GrainState<StateProbe>(new StateProbe()) { ETag = written };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateProbeGrain.StateName, grainId, stale));
    }

    [Fact]
    public async Task ClearState_StorageThatDeletesOnClear_RejectsAStaleEtagThenRemovesTheRow()
    {
        var storage = fixture.Silo.Services.GetRequiredKeyedService<IGrainStorage>(PostgresSiloFixture.DeletingStorageName);
        var grainId = GrainId.Create("stateprobe", "t:delete");
        var state = new GrainState<StateProbe>(new StateProbe { Value = "to be deleted" });
        await storage.WriteStateAsync(StateProbeGrain.StateName, grainId, state);
        var stale = new GrainState<StateProbe>(new StateProbe()) { ETag = state.ETag };
        await storage.WriteStateAsync(StateProbeGrain.StateName, grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateProbeGrain.StateName, grainId, stale));
        Assert.Equal(1L, await CountRowsAsync("t:delete"));

        await storage.ClearStateAsync(StateProbeGrain.StateName, grainId, state);

        Assert.Null(state.ETag);
        Assert.Equal(0L, await CountRowsAsync("t:delete"));
    }

    [Fact]
    public async Task WriteState_ProjectKeysThatLookHexOrHoldPlus_KeepOneRowEach()
    {
        string[] keys =
        [
            GrainKeys.Contact("cafe"), GrainKeys.Contact("0a"), GrainKeys.Contact("a"), GrainKeys.Contact("a+b"),
            GrainKeys.FrequencyLimit(NotifyChannel.Email, "a+b@example.com"), GrainKeys.FrequencyLimit(NotifyChannel.Email, "a@example.com"),
        ];
        foreach (var key in keys)
        {
            await Grains.GetGrain<IStateProbeGrain>(key).SetAsync("value of " + key);
            await Grains.GetGrain<IStateProbeGrain>(key).DeactivateAsync();
        }

        var values = await Task.WhenAll(keys.Select(key => Grains.GetGrain<IStateProbeGrain>(key).GetAsync()));

        Assert.Equal(keys.Select(key => "value of " + key), values);
        Assert.Equal(keys.Length, await ScalarAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE serviceid = $1 AND grainidextensionstring = ANY($2)", fixture.ServiceId, keys));
    }

    [Fact]
    public async Task WriteState_RawKeysThatParseAsTheSameHexNumber_ShareOneRow()
    {
        // Orleans stores "a" and "0a" both as the integer key 10 (orleans-facts.md §1.3): the reason every
        // string key in GrainKeys starts with a non-hex prefix. If this starts failing, Orleans fixed it.
        await Grains.GetGrain<IStateProbeGrain>("a").SetAsync("written through a");

        var seenThroughZeroA = await Grains.GetGrain<IStateProbeGrain>("0a").GetAsync();

        Assert.Equal("written through a", seenThroughZeroA);
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM OrleansStorage WHERE serviceid = $1 AND grainidn1 = 10 AND grainidextensionstring IS NULL", fixture.ServiceId));
    }

    [Fact]
    public async Task RegisterReminder_ShortPeriod_FiresAndIsStoredWithItsGrainHashUntilUnregistered()
    {
        const string key = "t:reminder";
        var grain = Grains.GetGrain<IReminderProbeGrain>(key);
        var grainId = grain.GetGrainId();

        await grain.StartAsync(TimeSpan.FromSeconds(1));
        await ReminderProbeGrain.FirstTick(key).WaitAsync(ReminderWait, Cancellation);

        await using (var command = new NpgsqlCommand(
            "SELECT GrainHash, Period FROM OrleansRemindersTable WHERE ServiceId = $1 AND GrainId = $2 AND ReminderName = $3"))
        {
            await using var connection = await OpenAsync();
            command.Connection = connection;
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fixture.ServiceId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.ToString() });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReminderProbeGrain.ReminderName });
            await using var reader = await command.ExecuteReaderAsync(Cancellation);
            Assert.True(await reader.ReadAsync(Cancellation), "no reminder row");
            Assert.Equal(unchecked((int)grainId.GetUniformHashCode()), reader.GetInt32(0));
            Assert.Equal(1000L, reader.GetInt64(1));
        }

        await grain.StopAsync();

        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM OrleansRemindersTable WHERE ServiceId = $1 AND GrainId = $2", fixture.ServiceId, grainId.ToString()));
    }

    [Fact]
    public async Task RecordStore_PostgresProfile_IsThePostgresStoreOnTheMigratedTable()
    {
        var store = fixture.Silo.Services.GetRequiredService<IMessageRecordStore>();
        var record = MessageRecords.New(GrainKeys.NewMessageId());

        var version = await store.WriteAsync(record, null, Cancellation);

        Assert.IsType<PostgresMessageRecordStore>(store);
        Assert.Equal(1, version);
        Assert.Equal(record.Id, (await store.ReadAsync(record.Id, Cancellation))?.Record.Id);
    }

    private Task<long> CountRowsAsync(string stringKey) => ScalarAsync<long>(
        "SELECT count(*) FROM OrleansStorage WHERE serviceid = $1 AND grainidextensionstring = $2", fixture.ServiceId, stringKey);

    private IGrainStorage Storage => fixture.Silo.Services.GetRequiredKeyedService<IGrainStorage>(PostgresProfile.GrainStorageName);

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync(Cancellation);
        return connection;
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] arguments)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var argument in arguments)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        return (T)(await command.ExecuteScalarAsync(Cancellation) ?? throw new InvalidOperationException($"no row for: {sql}"));
    }
}
