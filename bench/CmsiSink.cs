using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Notify.Bench;

/// <summary>
/// A CMSI gateway as fast as Kestrel allows: <c>send_sms</c> checks the app credentials and the fields a real
/// gateway requires, counts the request and answers <c>{"result":true,"code":0,"message":"OK"}</c>. Nothing is
/// recorded per request, so the benchmark measures the caller, not the sink.
/// </summary>
public sealed class CmsiSink : IAsyncDisposable
{
    public const string AppCode = "bench-app";
    public const string AppSecret = "bench-secret";
    public const string SendSmsPath = "/api/c/compapi/cmsi/send_sms/";

    private static readonly byte[] Accepted = """{"result":true,"code":0,"message":"OK","data":{}}"""u8.ToArray();
    private static readonly byte[] Refused = """{"result":false,"code":1306000,"message":"bad app or missing receiver/content"}"""u8.ToArray();

    private readonly WebApplication _app;
    private long _requests;

    private CmsiSink(WebApplication app) => _app = app;

    /// <summary>The gateway root with a trailing slash: the channel's <c>BaseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<CmsiSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new CmsiSink(app);
        app.MapPost(SendSmsPath, sink.SendSmsAsync);
        await app.StartAsync();
        sink.BaseUrl = app.Urls.Single().TrimEnd('/') + "/";
        return sink;
    }

    private async Task SendSmsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = await JsonSerializer.DeserializeAsync<SmsRequest>(context.Request.Body);
        var valid = request is { AppCode: AppCode, AppSecret: AppSecret, Receiver.Length: > 0, Content.Length: > 0 };
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(valid ? Accepted : Refused);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Answer([property: JsonPropertyName("result")] bool Result);

    private sealed record SmsRequest(
        [property: JsonPropertyName("bk_app_code")] string? AppCode,
        [property: JsonPropertyName("bk_app_secret")] string? AppSecret,
        [property: JsonPropertyName("receiver")] string? Receiver,
        [property: JsonPropertyName("content")] string? Content);
}
