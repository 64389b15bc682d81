using Notify.Silo.Gateway.Actions;
using Notify.Silo.Gateway.Admin;
using Notify.Silo.Gateway.Bkci;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Security;
using Notify.Silo.Gateway.Templates;

namespace Notify.Silo.Gateway;

/// <summary>
/// The gateway: REST (BK-CI paths) on the HTTP/1.1 port and gRPC (notify.v1) on the HTTP/2 port, both over the same
/// application services. An area adds its application service here and its <c>Map…Api</c> and gRPC service below.
/// Every endpoint needs an API key unless marked <c>AllowAnonymous</c>; operator services add the admin policy.
/// </summary>
public static class NotifyGatewayRegistration
{
    public static WebApplicationBuilder AddNotifyGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(GatewayPorts.Read(builder.Configuration));
        builder.AddGatewaySecurity();
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<GrpcErrorInterceptor>();
            // The same cap as a REST body; a larger message is refused with RESOURCE_EXHAUSTED before it is read.
            o.MaxReceiveMessageSize = (int)RestErrorFilter.MaxRequestBodyBytes;
            // What still escapes GrpcErrorInterceptor (it catches every handler error) is a request that does not parse,
            // which Grpc.AspNetCore answers before any interceptor: the caller gets the parser's reason instead of nothing.
            o.EnableDetailedErrors = true;
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(o =>
        {
            // The overall status ("") is mapped by default; each notify.v1 service answers with the same checks.
            o.Services.Map(Api.V1.NotifyService.Descriptor.FullName, _ => true);
            o.Services.Map(Api.V1.AdminService.Descriptor.FullName, _ => true);
        }).AddCheck<SiloLivenessCheck>("silo");

        builder.Services.AddSingleton<NotifyApplication>();
        builder.Services.AddSingleton<AdminApplication>();
        builder.Services.AddSingleton<TemplatesApplication>();
        builder.Services.AddSingleton<BkciUnusedFields>();
        builder.AddActionGateway();
        builder.Services.AddNotifyOpenApi();
        return builder;
    }

    public static WebApplication MapNotifyGateway(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<GatewayPorts>();
        var grpc = new GatewaySurface("grpc", ports.GrpcPort);
        app.UseGatewaySurfaces();
        app.UseGatewaySecurity();

        app.MapNotifyApi();
        app.MapAdminApi();
        app.MapTemplatesApi();
        app.MapBkciApi();
        app.MapNotifyOpenApi();

        app.MapGrpcService<NotifyGrpcService>().OnSurface(grpc);
        app.MapGrpcService<AdminGrpcService>().OnSurface(grpc).RequireAuthorization(GatewaySecurityRegistration.AdminPolicy);
        app.MapActionGateway(grpc);
        app.MapGrpcReflectionService().OnSurface(grpc);
        // Probes carry no key, and the health status exposes no data (as /healthz).
        app.MapGrpcHealthChecksService().OnSurface(grpc).AllowAnonymous();
        return app;
    }
}
