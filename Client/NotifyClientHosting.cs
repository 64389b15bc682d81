using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Notify.Client;

/// <summary>Where the cluster is. The defaults reach an embedded silo on this machine (<c>dotnet run --project Silo</c>).</summary>
public sealed record NotifyClientOptions
{
    /// <summary>The silo's Orleans gateway port (<c>Silo:GatewayPort</c>). The default value is 30000.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary><c>Orleans:ClusterId</c> of the silos. The default value is "notify".</summary>
    public string ClusterId { get; init; } = "notify";

    /// <summary><c>Orleans:ServiceId</c> of the silos. The default value is "notify".</summary>
    public string ServiceId { get; init; } = "notify";

    /// <summary>Mutual TLS to the gateway, required by silos that set <c>Silo:Tls</c>; null for plaintext (loopback silos).</summary>
    public NotifyClientTlsOptions? Tls { get; init; }
}

public static class NotifyClientHosting
{
    /// <summary>An Orleans client for the cluster (localhost clustering) and a <see cref="NotifyClient"/> over it.</summary>
    public static IHostApplicationBuilder AddNotifyClient(this IHostApplicationBuilder builder, NotifyClientOptions options)
    {
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            if (options.Tls is { } tls)
            {
                client.UseNotifyTls(tls);
            }
        });
        builder.Services.AddSingleton<NotifyClient>();
        return builder;
    }
}

/// <summary>A connected client with its own host, for tools that connect, do one thing and leave (the CLI).</summary>
public sealed class NotifyClientConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private NotifyClientConnection(IHost host) => _host = host;

    public NotifyClient Client => _host.Services.GetRequiredService<NotifyClient>();

    /// <summary>Connects, or throws when the cluster cannot be reached within <paramref name="cancellationToken"/>.</summary>
    public static async Task<NotifyClientConnection> ConnectAsync(NotifyClientOptions options, CancellationToken cancellationToken)
    {
        // No logging providers: a tool reports failures itself instead of interleaving the client's log with its output.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddNotifyClient(options);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new NotifyClientConnection(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(stopping.Token);
        _host.Dispose();
    }
}
