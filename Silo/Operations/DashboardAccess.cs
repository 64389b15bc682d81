using System.Net;
using Microsoft.AspNetCore.Authentication;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Operations;

/// <summary>
/// How a person reaches the dashboard when keys are configured: a browser cannot send <c>x-api-key</c>, so
/// <c>/dashboard/login</c> takes an admin key in a form (POST: the key never lands in a URL, a log or the history)
/// and answers with an HttpOnly, SameSite=Strict cookie scoped to <c>/dashboard</c> (8 hours, sliding). Scripts may
/// send the admin key in <c>x-api-key</c> instead. With no keys configured (loopback only) the dashboard is open.
/// </summary>
public static class DashboardAccess
{
    public const string Prefix = "/dashboard";
    public const string LoginPath = Prefix + "/login";
    public const string LogoutPath = Prefix + "/logout";
    public const string KeyField = "key";

    public static void MapDashboardLogin(this IEndpointRouteBuilder endpoints, GatewaySurface surface)
    {
        endpoints.MapGet(LoginPath, (GatewayKeyRing keys) => keys.IsOpen ? Results.Redirect(Prefix + "/") : LoginPage(StatusCodes.Status200OK, null))
            .OnSurface(surface).AllowAnonymous();
        endpoints.MapPost(LoginPath, LoginAsync).OnSurface(surface).AllowAnonymous().DisableAntiforgery();
        endpoints.MapPost(LogoutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(GatewaySecurityRegistration.DashboardCookieScheme);
            return Results.Redirect(LoginPath);
        }).OnSurface(surface).AllowAnonymous();
    }

    private static async Task<IResult> LoginAsync(HttpContext context, GatewayKeyRing keys)
    {
        if (keys.IsOpen)
        {
            return Results.Redirect(Prefix + "/");
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        var presented = form?[KeyField].ToString() ?? "";
        var key = presented.Length > 0 ? keys.Find(presented) : null;
        if (key is null)
        {
            return LoginPage(StatusCodes.Status401Unauthorized, "That is not a configured key.");
        }

        if (key.Kind != GatewayKeyKind.Admin)
        {
            return LoginPage(StatusCodes.Status403Forbidden, $"{key.Id} is not an admin key; the dashboard needs one of Gateway:AdminKeys.");
        }

        await context.SignInAsync(GatewaySecurityRegistration.DashboardCookieScheme,
            GatewayCaller.Principal(key.Id, isAdmin: true, source: null, GatewaySecurityRegistration.DashboardCookieScheme));
        return Results.Redirect(Prefix + "/");
    }

    private static IResult LoginPage(int status, string? error) => new LoginPageResult(status, error);

    /// <summary>A self-contained page: no script, no external resource, not framable, never cached.</summary>
    private sealed class LoginPageResult(int status, string? error) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-store";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            var message = error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
            return context.Response.WriteAsync($$"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Notify dashboard: sign in</title>
                <style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}input,button{font-size:1rem;padding:.4rem}input{width:100%}.error{color:#b00}</style>
                </head><body>
                <h1>Notify dashboard</h1>
                <p>Sign in with an admin key (Gateway:AdminKeys).</p>
                {{message}}
                <form method="post" action="{{LoginPath}}">
                <label for="key">Admin key</label>
                <input id="key" name="{{KeyField}}" type="password" autocomplete="off" required autofocus>
                <p><button type="submit">Sign in</button></p>
                </form>
                </body></html>
                """);
        }
    }
}
