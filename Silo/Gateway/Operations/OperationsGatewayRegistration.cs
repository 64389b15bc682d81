using Grpc.AspNetCore.HealthChecks;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Operations;

/// <summary>The operations area of the gateway: operator actions on messages, on REST and gRPC (admin key on both).</summary>
public static class OperationsGatewayRegistration
{
    public static WebApplicationBuilder AddOperationsGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OperationsApplication>();
        builder.Services.AddSingleton<ListingApplication>();
        builder.Services.Configure<GrpcHealthChecksOptions>(o => o.Services.Map(Api.V1.OperationsService.Descriptor.FullName, _ => true));
        return builder;
    }

    public static WebApplication MapOperationsGateway(this WebApplication app, GatewaySurface grpc)
    {
        app.MapOperationsApi();
        app.MapGrpcService<OperationsGrpcService>().OnSurface(grpc).RequireAuthorization(GatewaySecurityRegistration.AdminPolicy);
        return app;
    }
}
