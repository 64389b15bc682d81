using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// Every endpoint the real host maps (REST routes and gRPC methods alike) has a row in the access matrix of
/// <c>Silo/Gateway/README.md</c>: who may call it and what it is scoped to. A route added without one fails here.
/// </summary>
public sealed class AccessMatrixTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private const string Begin = "<!-- access-matrix:begin -->";
    private const string End = "<!-- access-matrix:end -->";

    [Fact]
    public void EveryMappedRouteAndRpc_HasARowInTheAccessMatrix()
    {
        var matrix = Matrix();
        var mapped = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(Names)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.NotEmpty(mapped);
        Assert.Contains("`POST /service/notify/email/send`", mapped);
        Assert.Contains("`notify.v1.ActionService/Ack`", mapped);
        var missing = mapped.Where(name => !matrix.Contains(name, StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "mapped but not in the access matrix of Silo/Gateway/README.md:\n" + string.Join("\n", missing));
    }

    /// <summary>
    /// How the matrix names an endpoint: <c>`METHOD /path`</c> for REST, <c>`package.Service/Method`</c> for gRPC (whose
    /// endpoints are POST routes of that path). The dashboard's own pages are one row, <c>`/dashboard/…`</c>.
    /// </summary>
    private static IEnumerable<string> Names(RouteEndpoint endpoint)
    {
        var path = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
        if (path.Contains("{unimplemented", StringComparison.Ordinal))
        {
            // Grpc.AspNetCore's catch-alls that answer UNIMPLEMENTED for methods no service has: nothing to call.
            return [];
        }

        if (path.StartsWith("/dashboard", StringComparison.Ordinal) && path is not ("/dashboard/login" or "/dashboard/logout"))
        {
            return ["`/dashboard/…`"];
        }

        if (endpoint.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null)
        {
            return [$"`{path.TrimStart('/')}`"];
        }

        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
        return methods.Select(method => $"`{method} {path}`");
    }

    private static string Matrix()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "orleans.sln")))
        {
            directory = directory.Parent;
        }

        var readme = File.ReadAllText(Path.Combine(directory?.FullName ?? throw new InvalidOperationException("orleans.sln not found above the test binaries"), "Silo", "Gateway", "README.md"));
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"Silo/Gateway/README.md has no {Begin} … {End} section");
        return readme[begin..end];
    }
}
