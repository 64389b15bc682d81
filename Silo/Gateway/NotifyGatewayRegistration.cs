using Notify.Silo.Gateway.Actions;
using Notify.Silo.Gateway.Admin;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;

namespace Notify.Silo.Gateway;

/// <summary>
/// The gateway: REST (BK-CI paths) on the HTTP/1.1 port and gRPC (notify.v1) on the HTTP/2 port, both over the same
/// application services. An area adds its application service here and its <c>Map…Api</c> and gRPC service below.
/// </summary>
public static class NotifyGatewayRegistration
{
    public static WebApplicationBuilder AddNotifyGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(GatewayPorts.Read(builder.Configuration));
        builder.Services.AddGrpc(o => o.Interceptors.Add<GrpcErrorInterceptor>());
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(o =>
        {
            // The overall status ("") is mapped by default; each notify.v1 service answers with the same checks.
            o.Services.Map(Api.V1.NotifyService.Descriptor.FullName, _ => true);
            o.Services.Map(Api.V1.AdminService.Descriptor.FullName, _ => true);
        }).AddCheck<SiloLivenessCheck>("silo");

        builder.Services.AddSingleton<NotifyApplication>();
        builder.Services.AddSingleton<AdminApplication>();
        builder.AddActionGateway();
        return builder;
    }

    public static WebApplication MapNotifyGateway(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<GatewayPorts>();
        var grpc = new GatewaySurface("grpc", ports.GrpcPort);
        app.UseGatewaySurfaces();

        app.MapNotifyApi();
        app.MapAdminApi();

        app.MapGrpcService<NotifyGrpcService>().OnSurface(grpc);
        app.MapGrpcService<AdminGrpcService>().OnSurface(grpc);
        app.MapActionGateway(grpc);
        app.MapGrpcReflectionService().OnSurface(grpc);
        app.MapGrpcHealthChecksService().OnSurface(grpc);
        return app;
    }
}
