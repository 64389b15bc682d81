using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

/// <summary>
/// The membership queries of the schema, driven through Orleans' own ADO.NET clustering table and gateway list
/// provider, one cluster id per test.
/// </summary>
public sealed class MembershipTableTests(MigratedPostgresDatabase database) : IClassFixture<MigratedPostgresDatabase>
{
    private static readonly DateTime Now = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private readonly string _clusterId = "membership-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task InitializeMembershipTable_NewCluster_ReadsVersionZeroAndNoMembers()
    {
        var table = await NewTableAsync();

        var data = await table.ReadAllAsync(Cancellation);

        Assert.Equal(0, data.Version.Version);
        Assert.Empty(data.Members);
    }

    [Fact]
    public async Task InsertRow_CurrentVersion_AddsMemberAndBumpsVersion()
    {
        var table = await NewTableAsync();
        var entry = Entry(generation: 1, SiloStatus.Joining, Now);

        var inserted = await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation);

        Assert.True(inserted);
        var data = await table.ReadAllAsync(Cancellation);
        Assert.Equal(1, data.Version.Version);
        var stored = Assert.Single(data.Members).Item1;
        Assert.Equal(entry.SiloAddress, stored.SiloAddress);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(entry.ProxyPort, stored.ProxyPort);
        Assert.Equal(entry.SiloName, stored.SiloName);
        Assert.Equal(entry.HostName, stored.HostName);
        Assert.Equal(entry.StartTime, stored.StartTime);
        Assert.Equal(entry.IAmAliveTime, stored.IAmAliveTime);
    }

    [Fact]
    public async Task InsertRow_StaleVersion_ReturnsFalseAndChangesNothing()
    {
        var table = await NewTableAsync();
        var stale = (await table.ReadAllAsync(Cancellation)).Version.Next();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Joining, Now), stale, Cancellation));

        var inserted = await table.InsertRowAsync(Entry(2, SiloStatus.Joining, Now), stale, Cancellation);

        Assert.False(inserted);
        var data = await table.ReadAllAsync(Cancellation);
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task InsertRow_ExistingMember_ReturnsFalseAndKeepsVersion()
    {
        var table = await NewTableAsync();
        var entry = Entry(1, SiloStatus.Joining, Now);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));

        var inserted = await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation);

        Assert.False(inserted);
        Assert.Equal(1, (await table.ReadAllAsync(Cancellation)).Version.Version);
    }

    [Fact]
    public async Task UpdateRow_CurrentVersion_UpdatesStatusSuspicionsAndHeartbeat()
    {
        var table = await NewTableAsync();
        var entry = Entry(1, SiloStatus.Joining, Now);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        var suspecter = Entry(2, SiloStatus.Active, Now).SiloAddress;
        entry.Status = SiloStatus.Active;
        entry.IAmAliveTime = Now.AddMinutes(1);
        entry.SuspectTimes = [Tuple.Create(suspecter, Now.AddSeconds(30))];

        var read = await table.ReadRowAsync(entry.SiloAddress, Cancellation);
        var updated = await table.UpdateRowAsync(entry, read.Members[0].Item2, read.Version.Next(), Cancellation);

        Assert.True(updated);
        var data = await table.ReadRowAsync(entry.SiloAddress, Cancellation);
        Assert.Equal(2, data.Version.Version);
        var stored = Assert.Single(data.Members).Item1;
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(Now.AddMinutes(1), stored.IAmAliveTime);
        var suspicion = Assert.Single(stored.SuspectTimes ?? []);
        Assert.Equal(suspecter, suspicion.Item1);
        Assert.Equal(Now.AddSeconds(30), suspicion.Item2);
    }

    [Fact]
    public async Task UpdateRow_StaleVersion_ReturnsFalseAndChangesNothing()
    {
        var table = await NewTableAsync();
        var entry = Entry(1, SiloStatus.Joining, Now);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        var read = await table.ReadRowAsync(entry.SiloAddress, Cancellation);
        Assert.True(await table.InsertRowAsync(Entry(2, SiloStatus.Joining, Now), read.Version.Next(), Cancellation));
        entry.Status = SiloStatus.Active;

        var updated = await table.UpdateRowAsync(entry, read.Members[0].Item2, read.Version.Next(), Cancellation);

        Assert.False(updated);
        var data = await table.ReadRowAsync(entry.SiloAddress, Cancellation);
        Assert.Equal(2, data.Version.Version);
        Assert.Equal(SiloStatus.Joining, Assert.Single(data.Members).Item1.Status);
    }

    [Fact]
    public async Task UpdateIAmAlive_KnownMember_ChangesHeartbeatButNotVersion()
    {
        var table = await NewTableAsync();
        var entry = Entry(1, SiloStatus.Active, Now);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));

        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = Now.AddMinutes(5) }, Cancellation);

        var data = await table.ReadRowAsync(entry.SiloAddress, Cancellation);
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(Now.AddMinutes(5), Assert.Single(data.Members).Item1.IAmAliveTime);
    }

    [Fact]
    public async Task ReadRow_UnknownMember_ReturnsTheVersionWithoutMembers()
    {
        var table = await NewTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active, Now), (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));

        var data = await table.ReadRowAsync(Entry(9, SiloStatus.Active, Now).SiloAddress, Cancellation);

        Assert.Equal(1, data.Version.Version);
        Assert.Empty(data.Members);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_MixedMembers_RemovesOnlyDeadOnesOlderThanTheCutoff()
    {
        var table = await NewTableAsync();
        var longAgo = Now.AddDays(-3);
        foreach (var entry in new[] { Entry(1, SiloStatus.Dead, longAgo), Entry(2, SiloStatus.Active, longAgo), Entry(3, SiloStatus.Dead, Now) })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        }

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Now.AddDays(-1)), Cancellation);

        var remaining = (await table.ReadAllAsync(Cancellation)).Members.Select(member => member.Item1.SiloAddress.Generation).Order();
        Assert.Equal([2, 3], remaining);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_Cluster_RemovesItsMembersAndVersion()
    {
        var table = await NewTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active, Now), (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));

        await table.DeleteMembershipTableEntriesAsync(_clusterId, Cancellation);

        await using var command = database.DataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = $1) + (SELECT count(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = $1)");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = _clusterId });
        Assert.Equal(0L, await command.ExecuteScalarAsync(Cancellation));
    }

    [Fact]
    public async Task GetGateways_MixedMembers_ListsActiveMembersWithAGatewayPort()
    {
        var table = await NewTableAsync();
        var gateway = Entry(1, SiloStatus.Active, Now);
        var noGateway = Entry(2, SiloStatus.Active, Now);
        noGateway.ProxyPort = 0;
        foreach (var entry in new[] { gateway, noGateway, Entry(3, SiloStatus.Dead, Now), Entry(4, SiloStatus.Joining, Now) })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Cancellation)).Version.Next(), Cancellation));
        }

        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            NoServices,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = PostgresProfile.Invariant, ConnectionString = database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = _clusterId }));
        await provider.InitializeGatewayListProviderAsync(Cancellation);

        var gateways = await provider.GetGatewaysAsync(Cancellation);

        Assert.Equal(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, gateway.ProxyPort), gateway.SiloAddress.Generation).ToGatewayUri(), Assert.Single(gateways));
    }

    private async Task<AdoNetClusteringTable> NewTableAsync()
    {
        var table = new AdoNetClusteringTable(
            NoServices,
            Options.Create(new ClusterOptions { ClusterId = _clusterId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = PostgresProfile.Invariant, ConnectionString = database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, Cancellation);
        return table;
    }

    private static MembershipEntry Entry(int generation, SiloStatus status, DateTime time) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), generation),
        Status = status,
        ProxyPort = 30000 + generation,
        HostName = "host-a",
        SiloName = $"silo-{generation}",
        StartTime = time,
        IAmAliveTime = time,
        SuspectTimes = [],
    };
}
