using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Operations;

/// <summary>Operator actions on messages under <c>/op/notify/messages</c> (admin key); each answers the record.</summary>
public static class OperationsRestApi
{
    public const string MessagesPath = "/op/notify/messages";

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        var messages = endpoints.MapRestGroup(MessagesPath);
        messages.MapPost("/{id}/retry", RetryAsync).WithName("RetryMessage");
        messages.MapPost("/{id}/cancel", CancelAsync).WithName("CancelMessage");
        return endpoints;
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
