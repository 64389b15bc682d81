using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Records;
using Notify.Silo.Gateway.Actions;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Operations;

/// <summary>
/// Operator actions on messages under <c>/op/notify/messages</c> (admin key), each answering the record; and the
/// keyset-paged lists (admin key): <c>GET /op/notify/actions</c>, <c>GET /op/notify/contacts</c>, <c>GET /op/notify/usergroups</c>.
/// </summary>
public static class OperationsRestApi
{
    public const string MessagesPath = "/op/notify/messages";

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        var messages = endpoints.MapRestGroup(MessagesPath);
        messages.MapPost("/{id}/retry", RetryAsync).WithName("RetryMessage");
        messages.MapPost("/{id}/cancel", CancelAsync).WithName("CancelMessage");
        endpoints.MapRestGroup("/op/notify/actions").MapGet("/", ListActionsAsync).WithName("ListActions");
        endpoints.MapRestGroup("/op/notify/contacts").MapGet("/", ListContactsAsync).WithName("ListContacts");
        endpoints.MapRestGroup("/op/notify/usergroups").MapGet("/", ListUserGroupsAsync).WithName("ListUserGroups");
        return endpoints;
    }

    internal static async Task<IResult> ListActionsAsync(HttpRequest request, ListingApplication listing)
    {
        var query = QueryParameters.Read(request, "status", "alert", "source", "after", "pageSize");
        var status = query.Text("status");
        ActionStatus? parsed = null;
        if (status is not null)
        {
            parsed = ActionWireNames.TryParse(status, out ActionStatus value)
                ? value
                : throw NotifyRequestException.Invalid("status", $"'{status}' is not an action status (received, waiting, running, sleep, retrying, success, partial_success, failure, partial_failure, skipped, shield, blocked)");
        }

        var page = await listing.ListActionsAsync(new ActionListQuery
        {
            Status = parsed,
            AlertId = query.Text("alert"),
            Source = query.Text("source"),
            After = query.Text("after"),
            PageSize = query.Integer("pageSize") ?? KeysetCursor.DefaultPageSize,
        });
        return Ok(new ListView<ActionListEntryView>(page.Items.Select(ActionListEntryView.From).ToArray(), page.NextCursor));
    }

    internal static async Task<IResult> ListContactsAsync(HttpRequest request, ListingApplication listing)
    {
        var query = QueryParameters.Read(request, "after", "pageSize");
        var page = await listing.ListContactsAsync(query.Text("after"), query.Integer("pageSize"));
        return Ok(new ListView<Grains.Abstractions.Receivers.Contact>(page.Items, page.NextCursor));
    }

    internal static async Task<IResult> ListUserGroupsAsync(HttpRequest request, ListingApplication listing)
    {
        var query = QueryParameters.Read(request, "after", "pageSize");
        var page = await listing.ListUserGroupsAsync(query.Text("after"), query.Integer("pageSize"));
        return Ok(new ListView<UserGroupView>(page.Items.Select(UserGroupView.From).ToArray(), page.NextCursor));
    }

    /// <summary>Also the console's handler (<c>/dashboard/api</c>), so both answer alike.</summary>
    internal static async Task<IResult> RetryAsync(string id, HttpRequest request, OperationsApplication operations)
    {
        var body = await RestBodyReader.ReadAsync<RetryMessageBody>(request, request.HttpContext.RequestAborted);
        var record = await operations.RetryAsync(id, body.Receiver, body.Note, GatewayCaller.From(request.HttpContext.User));
        return Ok(MessageViewMapper.ToView(record));
    }

    internal static async Task<IResult> CancelAsync(string id, HttpRequest request, OperationsApplication operations)
    {
        var body = await RestBodyReader.ReadAsync<CancelMessageBody>(request, request.HttpContext.RequestAborted);
        var record = await operations.CancelAsync(id, body.Note, GatewayCaller.From(request.HttpContext.User));
        return Ok(MessageViewMapper.ToView(record));
    }

    private static IResult Ok<T>(T data) => Results.Json(ApiResult<T>.Ok(data), GatewayJson.Options);
}
