using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Grains.Abstractions.Grains;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Npgsql;
using Orleans.Configuration;

namespace Notify.IntegrationTests.Cluster;

/// <summary>The same silo binary started three times on one PostgreSQL database forms one cluster.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class ClusterFormationTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartThreeSilos_OneDatabase_OneClusterWhoseEveryGatewayDelivers()
    {
        await using var smtp = SmtpTestServer.Start();
        var database = await postgres.CreateDatabaseAsync("cluster_formation", Ct);
        await using var cluster = await SiloProcessCluster.StartAsync(database, 3, ClusterSettings.EmailTo(smtp), Ct);

        // One membership table: three Active rows, each advertising its own silo and gateway port.
        var members = await ActiveMembersAsync(database, cluster.ClusterId);
        Assert.Equal(
            cluster.Silos.Select(s => (s.Ports.Silo, s.Ports.Gateway)).Order(),
            members.Order());

        // The client that only knows the database finds all three gateways and sees one cluster.
        var client = await cluster.ConnectClientAsync(Ct);
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(true, Ct);
        Assert.Equal(3, hosts.Count);

        // Each silo's own gateway takes a submit, and each silo's HTTP endpoint answers.
        using var http = new HttpClient();
        var sent = new List<string>();
        foreach (var silo in cluster.Silos)
        {
            using var health = await http.GetAsync($"http://127.0.0.1:{silo.Ports.Http}/healthz", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            await using var direct = await StaticGatewayClient.ConnectAsync(cluster.ClusterId, silo.Ports.Gateway, Ct);
            var result = await direct.Client.GetGrain<INotifyGrain>(0).SubmitAsync(ClusterSettings.Email($"{silo.Name}@example.com", silo.Name));
            sent.Add(result.MessageId);
        }

        await smtp.WaitForMessagesAsync(3, TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(sent.Order(), SmtpDeliveries.CountByMessageId(smtp).Keys.Order());
    }

    private static async Task<List<(int Port, int ProxyPort)>> ActiveMembersAsync(string database, string clusterId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT Port, ProxyPort FROM OrleansMembershipTable WHERE DeploymentId = $1 AND Status = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)SiloStatus.Active });
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var members = new List<(int, int)>();
        while (await reader.ReadAsync(Ct))
        {
            members.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return members;
    }

    /// <summary>A client that knows exactly one gateway, to prove that gateway serves.</summary>
    private sealed class StaticGatewayClient(IHost host) : IAsyncDisposable
    {
        public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

        public static async Task<StaticGatewayClient> ConnectAsync(string clusterId, int gatewayPort, CancellationToken cancellationToken)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
                client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            });
            var host = builder.Build();
            await host.StartAsync(cancellationToken);
            return new StaticGatewayClient(host);
        }

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
