using Grpc.AspNetCore.HealthChecks;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Actions;

/// <summary>The action area of the gateway: action instances and user groups, on REST and gRPC.</summary>
public static class ActionGatewayRegistration
{
    public static WebApplicationBuilder AddActionGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ActionApplication>();
        builder.Services.AddSingleton<UserGroupApplication>();
        // notify.v1.ActionService answers the gRPC health service with the same checks as the other services.
        builder.Services.Configure<GrpcHealthChecksOptions>(o => o.Services.Map(Api.V1.ActionService.Descriptor.FullName, _ => true));
        return builder;
    }

    /// <summary>REST on the HTTP port; <c>notify.v1.ActionService</c> on <paramref name="grpc"/>. User group RPCs live in <c>AdminService</c>.</summary>
    public static WebApplication MapActionGateway(this WebApplication app, GatewaySurface grpc)
    {
        app.MapActionApi();
        app.MapGrpcService<ActionGrpcService>().OnSurface(grpc);
        return app;
    }
}
