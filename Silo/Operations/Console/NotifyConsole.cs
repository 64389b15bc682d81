using Notify.Grains.Abstractions.Ownership;
using System.Reflection;
using Notify.Silo.Gateway.Actions;
using Notify.Silo.Gateway.Admin;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Operations;
using Notify.Silo.Gateway.Security;
using Notify.Silo.Gateway.Templates;

namespace Notify.Silo.Operations.Console;

/// <summary>
/// The operations console at <c>/dashboard/console/</c>: static pages embedded in this assembly (no build step), and
/// the JSON they read at <c>/dashboard/api/</c>, behind the dashboard's admin login. The API is the REST API's own
/// handlers and application services mounted a second time, under the dashboard's path because the login cookie is
/// scoped to it: every answer and every refusal is the REST API's. Browser safety: the cookie is SameSite=Strict and
/// every POST needs a JSON body (a CORS preflight cross-site), as on the REST API.
/// </summary>
public static class NotifyConsole
{
    public const string PagePath = DashboardAccess.Prefix + "/console";
    public const string ApiPath = DashboardAccess.Prefix + "/api";

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
        ["console.css"] = "text/css; charset=utf-8",
    };

    // Made at start-up, so the overview counts from the first message, not from its first reader.
    public static IServiceCollection AddNotifyConsole(this IServiceCollection services) =>
        services.AddSingleton<ConsoleActivity>().AddHostedService(provider => provider.GetRequiredService<ConsoleActivity>());

    public static IEndpointRouteBuilder MapNotifyConsole(this IEndpointRouteBuilder endpoints, GatewaySurface http)
    {
        var pages = endpoints.MapGroup(PagePath)
            .OnSurface(http)
            .RequireAuthorization(GatewaySecurityRegistration.DashboardPolicy)
            .WithMetadata(new DashboardEndpointMetadata(DashboardAccess.LoginPath));
        // The page's links are relative to the folder: /dashboard/console goes to /dashboard/console/.
        pages.MapGet("/", (HttpRequest request) => request.Path.Value?.EndsWith('/') == true
            ? ServeAsync(request.HttpContext, "index.html")
            : Task.FromResult(Results.Redirect(PagePath + "/")));
        pages.MapGet("/{asset}", (string asset, HttpContext context) => ServeAsync(context, asset));

        var api = endpoints.MapGroup(ApiPath)
            .OnSurface(http)
            .RequireAuthorization(GatewaySecurityRegistration.DashboardPolicy)
            .AddEndpointFilter<RestErrorFilter>();
        api.MapGet("/overview", (ConsoleActivity activity) => Ok(activity.Read()));
        api.MapGet("/messages", NotifyRestApi.ListMessagesAsync);
        api.MapGet("/messages/why-not", NotifyRestApi.WhyNotAsync);
        api.MapGet("/messages/{id}", NotifyRestApi.GetMessageAsync);
        api.MapPost("/messages/{id}/retry", OperationsRestApi.RetryAsync);
        api.MapPost("/messages/{id}/cancel", OperationsRestApi.CancelAsync);
        api.MapGet("/actions", OperationsRestApi.ListActionsAsync);
        api.MapGet("/contacts", OperationsRestApi.ListContactsAsync);
        api.MapGet("/usergroups", OperationsRestApi.ListUserGroupsAsync);
        api.MapGet("/actions/{id}", async (string id, string? source, ActionApplication actions) => Ok(ActionViewMapper.ToView(await actions.GetAsync(id, source, OwnerScope.All))));
        api.MapPost("/actions/{id}/close", async (string id, string? source, HttpRequest request, ActionApplication actions) =>
        {
            await RestBodyReader.ReadAsync<ActionSignalBody>(request, request.HttpContext.RequestAborted);
            return Ok(ActionViewMapper.ToView(await actions.CloseAsync(id, source, OwnerScope.All)));
        });
        api.MapPost("/actions/{id}/shield", async (string id, string? source, HttpRequest request, ActionApplication actions) =>
        {
            await RestBodyReader.ReadAsync<ActionSignalBody>(request, request.HttpContext.RequestAborted);
            return Ok(ActionViewMapper.ToView(await actions.ShieldAsync(id, source, OwnerScope.All)));
        });
        api.MapGet("/blacklist", async (AdminApplication admin) => Ok(new BlacklistView(await admin.GetBlacklistAsync())));
        api.MapGet("/contacts/{username}", async (string username, AdminApplication admin) => Ok(await admin.GetContactAsync(username)));
        api.MapGet("/usergroups/{groupId}", async (string groupId, UserGroupApplication groups) => Ok(UserGroupView.From(await groups.GetAsync(groupId))));
        api.MapGet("/templates", async (TemplatesApplication templates) => Ok((await templates.ListAsync()).Select(TemplateViewMapper.ToView).ToArray()));
        return endpoints;
    }

    /// <summary>An embedded page or asset: no inline script, nothing from elsewhere, not framable.</summary>
    private static async Task<IResult> ServeAsync(HttpContext context, string asset)
    {
        if (!Assets.TryGetValue(asset, out var contentType))
        {
            return Results.NotFound();
        }

        await using var stream = typeof(NotifyConsole).Assembly.GetManifestResourceStream($"console/{asset}")
            ?? throw new InvalidOperationException($"the console asset {asset} is not embedded in {typeof(NotifyConsole).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
        return Results.Text(await reader.ReadToEndAsync(context.RequestAborted), contentType);
    }

    private static IResult Ok<T>(T data) => Results.Json(ApiResult<T>.Ok(data), GatewayJson.Options);
}
