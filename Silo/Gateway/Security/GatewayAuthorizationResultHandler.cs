using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Security;

/// <summary>Marks the dashboard's endpoints: a browser there is sent to the login page instead of getting JSON.</summary>
public sealed record DashboardEndpointMetadata(string LoginPath);

/// <summary>
/// Words every refusal of the authorization middleware for its surface: 401 when no valid key came, 403 when the key
/// may not do this. REST gets BK-CI's <c>Result</c>, gRPC <c>UNAUTHENTICATED</c>/<c>PERMISSION_DENIED</c>, a browser
/// on the dashboard the login page.
/// </summary>
public sealed class GatewayAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var dashboard = context.GetEndpoint()?.Metadata.GetMetadata<DashboardEndpointMetadata>();
        if (authorizeResult.Forbidden)
        {
            var who = context.User.Identity?.Name ?? "this key";
            var reason = dashboard is not null
                ? $"{who} is not an admin key; the dashboard needs one of Gateway:AdminKeys"
                : $"{who} is not an admin key; operator APIs (/op/*, notify.v1.AdminService) need one of Gateway:AdminKeys";
            await GatewayRejections.WriteAsync(context, StatusCodes.Status403Forbidden, StatusCode.PermissionDenied, new FieldError(ApiKeyAuthenticationHandler.HeaderName, reason));
            return;
        }

        if (dashboard is not null && AcceptsHtml(context.Request))
        {
            context.Response.Redirect(dashboard.LoginPath);
            return;
        }

        var failure = (await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName)).Failure?.Message;
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyAuthenticationHandler.HeaderName}\"";
        await GatewayRejections.WriteAsync(context, StatusCodes.Status401Unauthorized, StatusCode.Unauthenticated,
            new FieldError(ApiKeyAuthenticationHandler.HeaderName, failure is null
                ? "is required: send the API key of your system (Gateway:ApiKeys) in the x-api-key header (gRPC: metadata)"
                : failure));
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
