using Microsoft.AspNetCore.Server.Kestrel.Core;
using Notify.Silo.Gateway;
using Notify.Silo.Hosting.Tls;
using Notify.Silo.Operations;

namespace Notify.Silo.Hosting;

/// <summary>Builds the silo process: Orleans, the gateway (REST and gRPC) and telemetry. Program and tests share it.</summary>
public static class NotifyHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings ship beside the binary; relative paths in them (the outbox) resolve against the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var host = NotifyHostOptions.Read(builder.Configuration);
        var gatewayTls = GatewayTransportSecurity.Read(builder.Configuration, host);
        gatewayTls.ConfigureServices(builder.Services);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(host.ListenAddress, host.HttpPort, o =>
            {
                o.Protocols = HttpProtocols.Http1;
                gatewayTls.Apply(o);
            });
            kestrel.Listen(host.ListenAddress, host.GrpcPort, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                gatewayTls.Apply(o);
            });
        });

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = host.ShutdownTimeout);
        builder.AddNotifySilo(host);
        builder.AddNotifyGateway();
        builder.AddNotifyOperations();

        var app = builder.Build();
        app.MapNotifyGateway();
        app.MapNotifyOperations();
        return app;
    }
}
