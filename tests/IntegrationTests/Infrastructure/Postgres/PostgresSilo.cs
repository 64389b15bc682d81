using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Silo.Persistence;
using Orleans.Configuration;

namespace Notify.IntegrationTests.Infrastructure.Postgres;

/// <summary>
/// A real silo on the Postgres profile (ADO.NET clustering, storage and reminders on the project's schema),
/// hosted in this process on free loopback ports. Unlike the TestingHost clusters it keeps the configured
/// clustering, so membership really goes through PostgreSQL.
/// </summary>
public sealed class PostgresSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private PostgresSilo(IHost host, int gatewayPort)
    {
        _host = host;
        GatewayPort = gatewayPort;
    }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public int GatewayPort { get; }

    public static async Task<PostgresSilo> StartAsync(
        string connectionString, string clusterId, string serviceId, Action<ISiloBuilder>? configure = null)
    {
        var gatewayPort = LoopbackPorts.Free();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, LoopbackPorts.Free(), gatewayPort);
            silo.UseNotifyPostgres(connectionString);
            configure?.Invoke(silo);
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new PostgresSilo(host, gatewayPort);
    }

    /// <summary>Stops the silo gracefully: it leaves the membership table as Dead and deactivates its grains.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }
}
