using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Ownership;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// bk-monitor's action instances (<c>/service/actions</c>) and user groups (<c>/op/notify/usergroups</c>). An instance is
/// addressed by its id within the caller's source; an admin key names another source with <c>?source=</c> (or the
/// create body's <c>source</c>).
/// </summary>
public static class ActionRestApi
{
    public const string ActionsPath = "/service/actions";

    public static IEndpointRouteBuilder MapActionApi(this IEndpointRouteBuilder endpoints)
    {
        var actions = endpoints.MapRestGroup(ActionsPath);
        actions.MapPost("/", CreateAsync).WithName("CreateAction");
        actions.MapGet("/{id}", async (string id, HttpRequest request, ActionApplication app) =>
        {
            var source = QueryParameters.Read(request, "source").Text("source");
            return Ok(await app.GetAsync(id, source, Scope(request)));
        }).WithName("GetAction");
        MapSignal(actions, "ack", "AckAction", (app, id, source, scope) => app.AckAsync(id, source, scope));
        MapSignal(actions, "recover", "RecoverAction", (app, id, source, scope) => app.RecoverAsync(id, source, scope));
        MapSignal(actions, "close", "CloseAction", (app, id, source, scope) => app.CloseAsync(id, source, scope));
        actions.MapPatch("/{id}/alert", async (string id, HttpRequest request, ActionApplication app) =>
        {
            var source = QueryParameters.Read(request, "source").Text("source");
            var body = await RestBodyReader.ReadAsync<ActionAlertUpdateBody>(request, request.HttpContext.RequestAborted);
            return Ok(await app.UpdateAlertAsync(id, source, Scope(request), ActionBodyMapper.ToUpdate(body)));
        }).WithName("UpdateActionAlert");
        MapSignal(actions, "shield", "ShieldAction", (app, id, source, scope) => app.ShieldAsync(id, source, scope));
        MapSignal(actions, "unshield", "UnshieldAction", (app, id, source, scope) => app.UnshieldAsync(id, source, scope));

        var groups = endpoints.MapRestGroup("/op/notify/usergroups");
        groups.MapGet("/{groupId}", async (string groupId, HttpRequest request, UserGroupApplication app) =>
        {
            QueryParameters.Read(request);
            return Json(UserGroupView.From(await app.GetAsync(groupId)));
        }).WithName("GetUserGroup");
        groups.MapPut("/{groupId}", async (string groupId, HttpRequest request, UserGroupApplication app) =>
        {
            var body = await RestBodyReader.ReadAsync<UserGroupBody>(request, request.HttpContext.RequestAborted);
            return Json(UserGroupView.From(await app.PutAsync(body.ToUserGroup(groupId))));
        }).WithName("PutUserGroup");
        groups.MapDelete("/{groupId}", async (string groupId, UserGroupApplication app) =>
        {
            await app.DeleteAsync(groupId);
            return Json(true);
        }).WithName("DeleteUserGroup");
        return endpoints;
    }

    /// <summary>The instance after the create, and a <c>Location</c> header pointing at it.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, ActionApplication app)
    {
        var body = await RestBodyReader.ReadAsync<CreateActionBody>(http.Request, http.RequestAborted);
        var created = await app.CreateAsync(ActionBodyMapper.ToRequest(body), body.Source, GatewayCaller.From(http.User));
        http.Response.Headers.Location = $"{ActionsPath}/{Uri.EscapeDataString(created.ActionId)}";
        return Ok(created);
    }

    /// <summary>A signal takes no body: an empty one, or <c>{}</c>, is accepted; anything else is refused.</summary>
    private static void MapSignal(RouteGroupBuilder actions, string signal, string name, Func<ActionApplication, string, string?, OwnerScope, Task<ActionInstanceView>> send) =>
        actions.MapPost($"/{{id}}/{signal}", async (string id, HttpRequest request, ActionApplication app) =>
        {
            var source = QueryParameters.Read(request, "source").Text("source");
            if (request.ContentLength is not (null or 0))
            {
                await RestBodyReader.ReadAsync<ActionSignalBody>(request, request.HttpContext.RequestAborted);
            }

            return Ok(await send(app, id, source, Scope(request)));
        }).WithName(name);

    private static OwnerScope Scope(HttpRequest request) => GatewayCaller.From(request.HttpContext.User).Scope;

    private static IResult Ok(ActionInstanceView view) => Json(ActionViewMapper.ToView(view));

    private static IResult Json<T>(T data) => Results.Json(ApiResult<T>.Ok(data), GatewayJson.Options);
}
