using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Client.Gateway;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Notify.Client;

public static class NotifyClientHosting
{
    /// <summary>
    /// An <see cref="INotifyClient"/> (and <see cref="IActionClient"/>) from the <c>NotifyClient</c> section of
    /// <paramref name="configuration"/>: over the Orleans gateways (<see cref="NotifyClient"/>, an Orleans client
    /// started with the host) or over the gRPC gateway (<see cref="NotifyGatewayClient"/>). The options are validated
    /// when the host starts. <paramref name="configureOrleans"/> runs after the static gateway list is set, so a
    /// caller can replace it, for example with the silos' ADO.NET membership table (docs/decisions.md).
    /// </summary>
    public static IServiceCollection AddNotifyClient(
        this IServiceCollection services, IConfiguration configuration, Action<IClientBuilder>? configureOrleans = null)
    {
        var section = configuration.GetSection(NotifyClientOptions.SectionName);
        services.AddOptions<NotifyClientOptions>().Bind(section).ValidateOnStart();
        var transport = section.GetValue(nameof(NotifyClientOptions.Transport), NotifyClientTransport.Orleans);
        // The Orleans client's connection options are set as it is registered, so TLS is read now, not at start.
        var tls = section.GetSection(nameof(NotifyClientOptions.Tls)).Get<NotifyClientTlsOptions>();
        return services.AddNotifyClient(transport, tls, configureOrleans);
    }

    /// <summary>The same with options from code, validated now.</summary>
    public static IServiceCollection AddNotifyClient(
        this IServiceCollection services, NotifyClientOptions options, Action<IClientBuilder>? configureOrleans = null)
    {
        NotifyClientOptionsValidator.EnsureValid(options);
        services.AddSingleton(Options.Create(options));
        return services.AddNotifyClient(options.Transport, options.Tls, configureOrleans);
    }

    private static IServiceCollection AddNotifyClient(
        this IServiceCollection services, NotifyClientTransport transport, NotifyClientTlsOptions? tls, Action<IClientBuilder>? configureOrleans)
    {
        services.AddSingleton<IValidateOptions<NotifyClientOptions>, NotifyClientOptionsValidator>();
        if (transport == NotifyClientTransport.Grpc)
        {
            services.AddSingleton(provider => GrpcChannel.ForAddress(NotifyOptions(provider).GrpcAddress!));
            services.AddSingleton(provider => new NotifyGatewayClient(provider.GetRequiredService<GrpcChannel>(), NotifyOptions(provider).ApiKey));
            services.AddSingleton<INotifyClient>(provider => provider.GetRequiredService<NotifyGatewayClient>());
        }
        else
        {
            services.AddOrleansClient(client =>
            {
                client.UseStaticClustering(gateways => gateways.Configure<IOptions<NotifyClientOptions>>(
                    (gatewayList, notify) => gatewayList.Gateways = GatewayUris(notify.Value)));
                if (tls is not null)
                {
                    client.UseNotifyTls(tls);
                }

                configureOrleans?.Invoke(client);
            });
            services.AddOptions<ClusterOptions>().Configure<IOptions<NotifyClientOptions>>((cluster, notify) =>
            {
                cluster.ClusterId = notify.Value.ClusterId;
                cluster.ServiceId = notify.Value.ServiceId;
            });
            services.AddSingleton<NotifyClient>();
            services.AddSingleton<INotifyClient>(provider => provider.GetRequiredService<NotifyClient>());
        }

        services.AddSingleton<IActionClient>(provider => provider.GetRequiredService<INotifyClient>());
        return services;
    }

    private static NotifyClientOptions NotifyOptions(IServiceProvider provider) => provider.GetRequiredService<IOptions<NotifyClientOptions>>().Value;

    private static List<Uri> GatewayUris(NotifyClientOptions options)
    {
        if (options.OrleansGateways.Count == 0)
        {
            return [new IPEndPoint(IPAddress.Loopback, options.GatewayPort).ToGatewayUri()];
        }

        return options.OrleansGateways.Select(text =>
        {
            OrleansGatewayAddress.TryParse(text, out var host, out var port);
            var address = IPAddress.TryParse(host, out var literal)
                ? literal
                : Dns.GetHostAddresses(host).FirstOrDefault(candidate => candidate.AddressFamily == AddressFamily.InterNetwork)
                  ?? throw new InvalidOperationException($"NotifyClient:OrleansGateways: '{host}' has no IPv4 address");
            return new IPEndPoint(address, port).ToGatewayUri();
        }).ToList();
    }
}

/// <summary>A connected client with its own host, for tools that connect, do one thing and leave (the CLI).</summary>
public sealed class NotifyClientConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private NotifyClientConnection(IHost host) => _host = host;

    public INotifyClient Client => _host.Services.GetRequiredService<INotifyClient>();

    /// <summary>Connects, or throws when the cluster cannot be reached within <paramref name="cancellationToken"/>.</summary>
    public static async Task<NotifyClientConnection> ConnectAsync(NotifyClientOptions options, CancellationToken cancellationToken)
    {
        // No logging providers: a tool reports failures itself instead of interleaving the client's log with its output.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddNotifyClient(options);
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
