using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Hosting;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// The real host (<see cref="NotifyHost"/>) on the Postgres profile inside the test process, on free ports, for
/// tests that need to reach into a silo or stop it gracefully; crash tests use <c>SiloProcess</c> instead.
/// </summary>
internal sealed class InProcessSilo(WebApplication app) : IAsyncDisposable
{
    private bool _stopped;

    public IServiceProvider Services => app.Services;

    public IClusterClient Client => app.Services.GetRequiredService<IClusterClient>();

    public static async Task<InProcessSilo> StartAsync(string connectionString, string clusterId, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = connectionString,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            ["Silo:SiloPort"] = LoopbackPorts.Free().ToString(),
            ["Silo:GatewayPort"] = LoopbackPorts.Free().ToString(),
            ["Gateway:HttpPort"] = "0",
            ["Gateway:GrpcPort"] = "0",
            ["Notify:Outbox:Path"] = Path.Combine(Path.GetTempPath(), "notify-outbox-" + clusterId),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = NotifyHost.Build([], builder => builder.Configuration.AddInMemoryCollection(configuration));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new InProcessSilo(app);
    }

    /// <summary>The host's graceful stop, as SIGTERM would trigger it.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }
}
