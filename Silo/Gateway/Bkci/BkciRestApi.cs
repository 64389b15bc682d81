using System.Text;
using System.Text.Json;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Notify;
using Notify.Silo.Gateway.Security;
using Notify.Silo.Gateway.Templates;

namespace Notify.Silo.Gateway.Bkci;

/// <summary>
/// The paths real BK-CI services call (<c>ServiceNotifyResource</c>, <c>ServiceNotifyMessageTemplateResource</c>), as
/// aliases over the same service layer as the design's <c>/service/notify/{channel}/send</c>. Bodies are read the way
/// BK-CI's Jackson writes them; fields this cluster does not use are accepted and counted (<see cref="BkciUnusedFields"/>),
/// never refused, while the design's own paths stay strict.
/// </summary>
public static class BkciRestApi
{
    public const string NotifiesPath = "/service/notifies";
    public const string EmailPath = NotifiesPath + "/email";
    public const string RtxPath = NotifiesPath + "/rtx";
    public const string WechatPath = NotifiesPath + "/wechat";
    public const string SmsPath = NotifiesPath + "/sms";
    public const string WeworkRobotPath = NotifiesPath + "/wework/robot";
    public const string WeworkTextPath = NotifiesPath + "/wework/text";
    public const string WeworkMediaPath = NotifiesPath + "/wework/media";
    public const string TemplateSendPath = "/service/notify/message/template/send";

    public static IEndpointRouteBuilder MapBkciApi(this IEndpointRouteBuilder endpoints)
    {
        var notifies = endpoints.MapRestGroup(NotifiesPath);
        notifies.MapPost("/email", (HttpContext http, NotifyApplication app, BkciUnusedFields unused) =>
            SendAsync<BkciEmailBody>(http, app, unused, EmailPath, BkciMessageMapper.ToMessage)).WithName("BkciSendEmail");
        notifies.MapPost("/rtx", (HttpContext http, NotifyApplication app, BkciUnusedFields unused) =>
            SendAsync<BkciRtxBody>(http, app, unused, RtxPath, BkciMessageMapper.ToMessage)).WithName("BkciSendRtx");
        notifies.MapPost("/wechat", (HttpContext http, NotifyApplication app, BkciUnusedFields unused) =>
            SendAsync<BkciWechatBody>(http, app, unused, WechatPath, BkciMessageMapper.ToMessage)).WithName("BkciSendWechat");
        notifies.MapPost("/sms", (HttpContext http, NotifyApplication app, BkciUnusedFields unused) =>
            SendAsync<BkciSmsBody>(http, app, unused, SmsPath, BkciMessageMapper.ToMessage)).WithName("BkciSendSms");
        notifies.MapPost("/wework/robot", (HttpContext http, NotifyApplication app, BkciUnusedFields unused) =>
            SendAsync<BkciWeworkRobotBody>(http, app, unused, WeworkRobotPath, BkciMessageMapper.ToMessage)).WithName("BkciSendWeworkRobot");
        notifies.MapPost("/wework/text", SendWeworkTextAsync).WithName("BkciSendWeworkText");
        notifies.MapPost("/wework/media", SendWeworkMediaAsync).WithName("BkciSendWeworkMedia");

        endpoints.MapRestGroup("/service/notify/message/template").MapPost("/send", SendByTemplateAsync).WithName("BkciSendByTemplate");
        return endpoints;
    }

    private static async Task<IResult> SendAsync<TBody>(
        HttpContext http, NotifyApplication app, BkciUnusedFields unused, string path, Func<TBody, NotifyMessage> toMessage) where TBody : RestBody
    {
        var body = await RestBodyReader.ReadTolerantAsync<TBody>(http.Request, http.RequestAborted);
        var message = toMessage(body);
        unused.Record(path, body.UnknownFields?.Keys);
        return await NotifyRestApi.AcceptAsync(http, app, message, bodyRequestId: null);
    }

    /// <summary>
    /// BK-CI's <c>String message</c> body. Its Feign client JSON-encodes the string (<c>"text"</c>) while a hand-written
    /// call sends the text itself; a JSON body that is one string literal is taken as that string, anything else as text.
    /// </summary>
    private static async Task<IResult> SendWeworkTextAsync(HttpContext http, NotifyApplication app)
    {
        var query = QueryParameters.Read(http.Request, "receivers", "receiverType", "textType", "robot");
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        return await NotifyRestApi.AcceptAsync(http, app, BkciMessageMapper.ToMessage(query, Unquote(text)), bodyRequestId: null);
    }

    /// <summary>
    /// BK-CI's multipart media send: the query names the chats, the media type and name, the part <c>file</c> holds the
    /// bytes. The file travels inside the accepted message (at most <see cref="WeworkMedia.MaxBytes"/>); a part over the
    /// limit is refused before it is read. An added <c>robot</c> parameter (not BK-CI's) names a configured robot.
    /// </summary>
    private static async Task<IResult> SendWeworkMediaAsync(HttpContext http, NotifyApplication app)
    {
        var request = http.Request;
        var query = QueryParameters.Read(request, "receivers", "receiverType", "mediaType", "mediaName", "robot");
        var kind = BkciMessageMapper.CheckMediaQuery(query);
        if (!request.HasFormContentType)
        {
            throw NotifyRequestException.Invalid("file", "expected a multipart/form-data body with a 'file' part");
        }

        var form = await request.ReadFormAsync(http.RequestAborted);
        if (form.Files.GetFile("file") is not { } file)
        {
            throw NotifyRequestException.Invalid("file", "is required: a multipart part named 'file'");
        }

        if (file.Length > WeworkMedia.MaxBytes)
        {
            throw NotifyRequestException.Invalid("file", $"is {file.Length} bytes; at most {WeworkMedia.MaxBytes} (2 MiB) are accepted");
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, http.RequestAborted);
        }

        return await NotifyRestApi.AcceptAsync(http, app, BkciMessageMapper.ToMediaMessage(query, kind, content), bodyRequestId: null);
    }

    /// <summary>Answers as <c>/service/notify/template/send</c> does: BK-CI's <c>true</c> plus each channel's message.</summary>
    private static async Task<IResult> SendByTemplateAsync(HttpContext http, TemplatesApplication app, BkciUnusedFields unused)
    {
        var body = await RestBodyReader.ReadTolerantAsync<BkciTemplateSendBody>(http.Request, http.RequestAborted);
        var request = BkciMessageMapper.ToRequest(body, IdempotencyKeys.Read(http.Request, bodyRequestId: null));
        unused.Record(TemplateSendPath, body.UnknownFields?.Keys);
        return Results.Json(TemplateViewMapper.ToApiResult(await app.SendAsync(request, GatewayCaller.From(http.User))), GatewayJson.Options);
    }

    private static string Unquote(string text)
    {
        if (!text.TrimStart().StartsWith('"'))
        {
            return text;
        }

        try
        {
            return JsonSerializer.Deserialize<string>(text) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
