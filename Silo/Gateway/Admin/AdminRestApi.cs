using Notify.Grains.Abstractions.Receivers;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Admin;

/// <summary>BK-CI's operator paths: the blacklist and the contact directory.</summary>
public static class AdminRestApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var blacklist = endpoints.MapRestGroup("/op/notify/blacklist");
        blacklist.MapGet("/", async (HttpRequest request, AdminApplication admin) =>
        {
            QueryParameters.Read(request);
            return Ok(new BlacklistView(await admin.GetBlacklistAsync()));
        }).WithName("GetBlacklist");
        blacklist.MapPost("/", async (HttpRequest request, AdminApplication admin) =>
            Ok(new BlacklistView(await admin.AddToBlacklistAsync(await ReadUsersAsync(request))))).WithName("AddToBlacklist");
        blacklist.MapDelete("/", async (HttpRequest request, AdminApplication admin) =>
            Ok(new BlacklistView(await admin.RemoveFromBlacklistAsync(await ReadUsersAsync(request))))).WithName("RemoveFromBlacklist");

        var contacts = endpoints.MapRestGroup("/op/notify/contacts");
        contacts.MapGet("/{username}", async (string username, AdminApplication admin) =>
            Ok(await admin.GetContactAsync(username))).WithName("GetContact");
        contacts.MapPut("/{username}", async (string username, HttpRequest request, AdminApplication admin) =>
        {
            var body = await RestBodyReader.ReadAsync<ContactBody>(request, request.HttpContext.RequestAborted);
            return Ok(await admin.PutContactAsync(body.ToContact(username)));
        }).WithName("PutContact");
        contacts.MapDelete("/{username}", async (string username, AdminApplication admin) =>
        {
            await admin.DeleteContactAsync(username);
            return Ok(true);
        }).WithName("DeleteContact");
        return endpoints;
    }

    private static async Task<IReadOnlyList<string>> ReadUsersAsync(HttpRequest request) =>
        (await RestBodyReader.ReadAsync<BlacklistBody>(request, request.HttpContext.RequestAborted)).Users ?? [];

    private static IResult Ok<T>(T data) => Results.Json(ApiResult<T>.Ok(data), GatewayJson.Options);
}
