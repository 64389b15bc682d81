using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Abstractions;
using Notify.Grains.Messages;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Notify;

/// <summary>BK-CI's service paths: sends per channel and the send records.</summary>
public static class NotifyRestApi
{
    public const string MessagesPath = "/service/notify/messages";

    public static IEndpointRouteBuilder MapNotifyApi(this IEndpointRouteBuilder endpoints)
    {
        var notify = endpoints.MapRestGroup("/service/notify");
        notify.MapPost("/email/send", (HttpContext http, NotifyApplication app) => SendAsync<EmailSendBody>(http, app, SendBodyMapper.ToMessage)).WithName("SendEmail");
        notify.MapPost("/rtx/send", (HttpContext http, NotifyApplication app) => SendAsync<RtxSendBody>(http, app, SendBodyMapper.ToMessage)).WithName("SendRtx");
        notify.MapPost("/wechat/send", (HttpContext http, NotifyApplication app) => SendAsync<WechatSendBody>(http, app, SendBodyMapper.ToMessage)).WithName("SendWechat");
        notify.MapPost("/sms/send", (HttpContext http, NotifyApplication app) => SendAsync<SmsSendBody>(http, app, SendBodyMapper.ToMessage)).WithName("SendSms");
        notify.MapPost("/voice/send", (HttpContext http, NotifyApplication app) => SendAsync<VoiceSendBody>(http, app, SendBodyMapper.ToMessage)).WithName("SendVoice");
        notify.MapPost("/wework/send", (HttpContext http, NotifyApplication app) => SendAsync<WeworkSendBody>(http, app, SendBodyMapper.ToMessage)).WithName("SendWework");
        notify.MapPost("/batch", SendBatchAsync).WithName("SendBatch");

        var messages = endpoints.MapRestGroup(MessagesPath);
        messages.MapGet("/{id}", GetMessageAsync).WithName("GetMessage");
        messages.MapGet("/", ListMessagesAsync).WithName("ListMessages");
        messages.MapGet("/why-not", WhyNotAsync).WithName("WhyNot");
        return endpoints;
    }

    /// <summary>
    /// BK-CI's answer plus <c>messageId</c> and <c>replayed</c>, and a <c>Location</c> header pointing at the record.
    /// A replay (same idempotency key and body) also carries <c>Idempotency-Replay: true</c>, as Novu's does.
    /// </summary>
    private static async Task<IResult> SendAsync<TBody>(HttpContext http, NotifyApplication app, Func<TBody, NotifyMessage> toMessage) where TBody : SendBody
    {
        var body = await RestBodyReader.ReadAsync<TBody>(http.Request, http.RequestAborted);
        return await AcceptAsync(http, app, toMessage(body), body.RequestId);
    }

    /// <summary>
    /// Submits <paramref name="message"/> and answers as every send path does (BK-CI's <c>/service/notifies</c> aliases too).
    /// <paramref name="bodyRequestId"/> is the body's idempotency key, if the body has one.
    /// </summary>
    public static async Task<IResult> AcceptAsync(HttpContext http, NotifyApplication app, NotifyMessage message, string? bodyRequestId)
    {
        var requestId = IdempotencyKeys.Read(http.Request, bodyRequestId);
        var result = await app.SendAsync(message, requestId, GatewayCaller.From(http.User));
        http.Response.Headers.Location = $"{MessagesPath}/{Uri.EscapeDataString(result.MessageId)}";
        if (result.Replayed)
        {
            http.Response.Headers[IdempotencyKeys.ReplayHeader] = "true";
        }

        return Results.Json(new SendApiResult(0, null, true, result.MessageId, result.Replayed), GatewayJson.Options);
    }

    /// <summary>200 with one result per entry whenever the body is a list of entries, however many of them were refused.</summary>
    private static async Task<IResult> SendBatchAsync(HttpContext http, NotifyApplication app)
    {
        var entries = await BatchSendReader.ReadAsync(http.Request, http.RequestAborted);
        return Ok(await app.SendBatchAsync(entries, GatewayCaller.From(http.User)));
    }

    internal static async Task<IResult> GetMessageAsync(string id, HttpRequest request, NotifyApplication app)
    {
        QueryParameters.Read(request);
        return Ok(MessageViewMapper.ToView(await app.GetMessageAsync(id, GatewayCaller.From(request.HttpContext.User).Scope)));
    }

    internal static async Task<IResult> ListMessagesAsync(HttpRequest request, NotifyApplication app)
    {
        var query = QueryParameters.Read(request, "channel", "status", "receiver", "source", "from", "to", "page", "pageSize", "after", "total");
        var defaults = new MessageQuery();
        var page = await app.ListMessagesAsync(new MessageQuery
        {
            Channel = query.Channel("channel"),
            Status = query.Status("status"),
            Receiver = query.Text("receiver"),
            Source = query.Text("source"),
            From = query.Instant("from"),
            To = query.Instant("to"),
            Page = query.Integer("page") ?? defaults.Page,
            PageSize = query.Integer("pageSize") ?? defaults.PageSize,
            After = query.Text("after"),
            CountTotal = query.Boolean("total") ?? defaults.CountTotal,
        }, GatewayCaller.From(request.HttpContext.User).Scope);
        return Ok(MessageViewMapper.ToView(page));
    }

    internal static async Task<IResult> WhyNotAsync(HttpRequest request, NotifyApplication app)
    {
        var query = QueryParameters.Read(request, "receiver", "channel", "from", "to", "limit");
        var entries = await app.WhyNotAsync(query.Text("receiver") ?? "", query.Channel("channel"), query.Instant("from"), query.Instant("to"), query.Integer("limit"),
            GatewayCaller.From(request.HttpContext.User).Scope);
        return Ok(entries.Select(MessageViewMapper.ToView).ToArray());
    }

    private static IResult Ok<T>(T data) => Results.Json(ApiResult<T>.Ok(data), GatewayJson.Options);
}
