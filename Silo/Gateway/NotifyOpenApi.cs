using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway;

/// <summary>
/// The REST surface's OpenAPI document at <c>/openapi/v1.json</c> on the HTTP port, without a key: it describes
/// paths and bodies, never data. The checked-in copy (<c>docs/openapi/v1.json</c>) is compared with the served one
/// by a test, which also regenerates it (<c>scripts/update-openapi.sh</c>).
/// </summary>
public static class NotifyOpenApi
{
    public const string DocumentName = "v1";
    public const string Path = "/openapi/" + DocumentName + ".json";

    /// <summary>The REST API's path prefixes; the dashboard and the probes are not part of the contract.</summary>
    private static readonly string[] ApiPrefixes = ["service/", "op/", "build/"];

    public static IServiceCollection AddNotifyOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description =>
                description.RelativePath is { } path && ApiPrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
            // The default tag is the host's application name, which differs between the silo and a test host.
            options.AddOperationTransformer((operation, _, _) =>
            {
                operation.Tags?.Clear();
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "notify REST gateway";
                document.Info.Version = DocumentName;
                document.Tags?.Clear();
                // The served document names the address it was fetched from; the checked-in one must be the same everywhere.
                document.Servers = [];
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapNotifyOpenApi(this IEndpointRouteBuilder endpoints)
    {
        var ports = endpoints.ServiceProvider.GetRequiredService<GatewayPorts>();
        endpoints.MapOpenApi(Path).OnSurface(new GatewaySurface("rest", ports.HttpPort)).AllowAnonymous();
        return endpoints;
    }
}
