using Notify.Silo.Gateway.Security;
using Notify.Silo.Hosting;

namespace Notify.Silo.Gateway.Common;

/// <summary>The ports the two surfaces answer on: REST and health on HTTP/1.1, gRPC on HTTP/2 (DESIGN.md, "Ports").</summary>
public sealed record GatewayPorts(int HttpPort, int GrpcPort)
{
    public static GatewayPorts Read(IConfiguration configuration)
    {
        var host = NotifyHostOptions.Read(configuration);
        return new GatewayPorts(host.HttpPort, host.GrpcPort);
    }
}

/// <summary>Endpoint metadata: the local port an endpoint answers on. 0 (an ephemeral port) is not filtered.</summary>
public sealed record GatewaySurface(string Name, int Port);

/// <summary>
/// Keeps each surface on its own port by the connection's local port, not the Host header (a proxy may rewrite
/// that): REST asked on the gRPC port, or gRPC on the HTTP port, is 404.
/// </summary>
public static class GatewaySurfaces
{
    public static TBuilder OnSurface<TBuilder>(this TBuilder builder, GatewaySurface surface) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(surface);

    public static IApplicationBuilder UseGatewaySurfaces(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var surface = context.GetEndpoint()?.Metadata.GetMetadata<GatewaySurface>();
        if (surface is { Port: > 0 } && context.Connection.LocalPort != surface.Port)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    });

    /// <summary>
    /// A REST route group of an area (<c>/service/notify</c>, <c>/op/notify</c>…): on the HTTP port, with
    /// <see cref="RestErrorFilter"/>, needing an admin key under <c>/op/</c> (BK-CI's operator paths) and any key
    /// elsewhere. Every area's <c>Map…Api</c> starts here.
    /// </summary>
    public static RouteGroupBuilder MapRestGroup(this IEndpointRouteBuilder endpoints, string prefix)
    {
        var ports = endpoints.ServiceProvider.GetRequiredService<GatewayPorts>();
        var operatorPath = prefix.StartsWith("/op/", StringComparison.OrdinalIgnoreCase);
        return endpoints.MapGroup(prefix)
            .OnSurface(new GatewaySurface("rest", ports.HttpPort))
            .RequireAuthorization(operatorPath ? GatewaySecurityRegistration.AdminPolicy : GatewaySecurityRegistration.CallerPolicy)
            .AddEndpointFilter<RestErrorFilter>();
    }
}
