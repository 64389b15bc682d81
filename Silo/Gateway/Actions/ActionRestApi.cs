using Notify.Grains.Abstractions.Actions;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Actions;

/// <summary>bk-monitor's action instances (<c>/service/actions</c>) and user groups (<c>/op/notify/usergroups</c>).</summary>
public static class ActionRestApi
{
    public const string ActionsPath = "/service/actions";

    public static IEndpointRouteBuilder MapActionApi(this IEndpointRouteBuilder endpoints)
    {
        var actions = endpoints.MapRestGroup(ActionsPath);
        actions.MapPost("/", CreateAsync).WithName("CreateAction");
        actions.MapGet("/{id}", async (string id, HttpRequest request, ActionApplication app) =>
        {
            QueryParameters.Read(request);
            return Ok(await app.GetAsync(id));
        }).WithName("GetAction");
        MapSignal(actions, "ack", "AckAction", (app, id) => app.AckAsync(id));
        MapSignal(actions, "recover", "RecoverAction", (app, id) => app.RecoverAsync(id));
        MapSignal(actions, "close", "CloseAction", (app, id) => app.CloseAsync(id));
        actions.MapPatch("/{id}/alert", async (string id, HttpRequest request, ActionApplication app) =>
        {
            QueryParameters.Read(request);
            var body = await RestBodyReader.ReadAsync<ActionAlertUpdateBody>(request, request.HttpContext.RequestAborted);
            return Ok(await app.UpdateAlertAsync(id, ActionBodyMapper.ToUpdate(body)));
        }).WithName("UpdateActionAlert");
        MapSignal(actions, "shield", "ShieldAction", (app, id) => app.ShieldAsync(id));
        MapSignal(actions, "unshield", "UnshieldAction", (app, id) => app.UnshieldAsync(id));

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
        var created = await app.CreateAsync(ActionBodyMapper.ToRequest(body));
        http.Response.Headers.Location = $"{ActionsPath}/{Uri.EscapeDataString(created.ActionId)}";
        return Ok(created);
    }

    /// <summary>A signal takes no body: an empty one, or <c>{}</c>, is accepted; anything else is refused.</summary>
    private static void MapSignal(RouteGroupBuilder actions, string signal, string name, Func<ActionApplication, string, Task<ActionInstanceView>> send) =>
        actions.MapPost($"/{{id}}/{signal}", async (string id, HttpRequest request, ActionApplication app) =>
        {
            QueryParameters.Read(request);
            if (request.ContentLength is not (null or 0))
            {
                await RestBodyReader.ReadAsync<ActionSignalBody>(request, request.HttpContext.RequestAborted);
            }

            return Ok(await send(app, id));
        }).WithName(name);

    private static IResult Ok(ActionInstanceView view) => Json(ActionViewMapper.ToView(view));

    private static IResult Json<T>(T data) => Results.Json(ApiResult<T>.Ok(data), GatewayJson.Options);
}
