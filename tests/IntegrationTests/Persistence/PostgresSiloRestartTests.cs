using Notify.IntegrationTests.Infrastructure.Postgres;
using Npgsql;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

public sealed class PostgresSiloRestartTests(PostgresServer server)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_SameServiceOnSameDatabase_NewSiloReadsTheStateAndTheOldOneIsDead()
    {
        var connectionString = await server.CreateDatabaseAsync("restart", Cancellation);
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        var serviceId = "service-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await PostgresSilo.StartAsync(connectionString, clusterId, serviceId))
        {
            await first.Grains.GetGrain<IStateProbeGrain>("t:restart").SetAsync("written before the restart");
        }

        await using var second = await PostgresSilo.StartAsync(connectionString, clusterId, serviceId);
        var value = await second.Grains.GetGrain<IStateProbeGrain>("t:restart").GetAsync();

        Assert.Equal("written before the restart", value);
        Assert.Equal([(int)SiloStatus.Dead, (int)SiloStatus.Active], await StatusesByStartAsync(connectionString, clusterId));
    }

    private static async Task<List<int>> StatusesByStartAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = $1 ORDER BY StartTime", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        await using var reader = await command.ExecuteReaderAsync(Cancellation);
        var statuses = new List<int>();
        while (await reader.ReadAsync(Cancellation))
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }
}
