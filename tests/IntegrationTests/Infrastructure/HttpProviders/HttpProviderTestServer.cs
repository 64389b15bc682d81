using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Notify.IntegrationTests.Infrastructure.HttpProviders;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that stands in for the providers of the HTTP channels:
/// WeCom <c>gettoken</c> and <c>message/send</c>, the WeCom group-robot webhook and its <c>upload_media</c>, and the BlueKing CMSI
/// <c>send_sms</c>, <c>send_voice_msg</c> and <c>send_weixin</c> APIs. See README.md in this folder.
/// </summary>
/// <remarks>
/// It checks credentials (<see cref="HttpProviderCredentials"/>), records every request before answering it, and
/// lets a test change its behaviour while it runs: expire or invalidate the tokens it issued, refuse user ids, and
/// inject faults on a path. All members are safe to call from any thread.
/// </remarks>
public sealed class HttpProviderTestServer : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    private const int RobotTextMaxBytes = 2048;
    private const int RobotMarkdownMaxBytes = 4096;
    private const int RobotImageMaxBytes = 2 * 1024 * 1024;
    private const int RobotUploadMinBytes = 6;
    private const int RobotUploadMaxBytes = 20 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<RecordedUpload> _uploads = [];
    private readonly Dictionary<long, (string? ContentType, byte[] Body)> _pendingUploads = [];
    private readonly Dictionary<string, Queue<ProviderFault>> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenState> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _invalidUsers = new(StringComparer.OrdinalIgnoreCase);
    private TaskCompletionSource _requestRecorded = NewSignal();
    private TimeSpan _tokenLifetime = TimeSpan.FromHours(2);
    private int _messageIds;

    private HttpProviderTestServer(WebApplication app)
    {
        _app = app;
    }

    private enum TokenState
    {
        Valid,
        Expired,
        Invalid,
    }

    /// <summary>The server root, with a trailing slash: use it as the rtx and CMSI channels' <c>BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The robot webhook without its key: the wework channel's <c>WebhookUrl</c>.</summary>
    public string WebhookUrl => new Uri(BaseUrl, HttpProviderPaths.RobotWebhook.TrimStart('/')).ToString();

    /// <summary><c>expires_in</c> of the tokens issued from now on. The default value is 2 hours, as WeCom's.</summary>
    public TimeSpan TokenLifetime
    {
        get { lock (_gate) { return _tokenLifetime; } }
        set { lock (_gate) { _tokenLifetime = value; } }
    }

    /// <summary>How many access tokens <c>gettoken</c> has issued.</summary>
    public int TokensIssued
    {
        get { lock (_gate) { return _tokens.Count; } }
    }

    /// <summary>A snapshot of every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>A snapshot of the robot <c>upload_media</c> requests the server answered itself (not injected faults), in arrival order.</summary>
    public IReadOnlyList<RecordedUpload> Uploads
    {
        get { lock (_gate) { return [.. _uploads]; } }
    }

    /// <summary>Starts Kestrel on 127.0.0.1 with a free port; throws <see cref="InvalidOperationException"/> saying why when it cannot.</summary>
    public static async Task<HttpProviderTestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HttpProviderTestServer(app);
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"{nameof(HttpProviderTestServer)} could not start Kestrel on 127.0.0.1: {exception.Message}", exception);
        }

        server.BaseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>
    /// Configuration that points all five HTTP channels at this server with the credentials it accepts
    /// (<c>Channels:Rtx:*</c>, <c>Channels:Wechat|Sms|Voice:*</c>, <c>Channels:Wework:*</c>). Add or override keys as needed.
    /// </summary>
    public Dictionary<string, string?> ChannelSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Rtx:BaseUrl"] = BaseUrl.ToString(),
            ["Channels:Rtx:CorpId"] = HttpProviderCredentials.CorpId,
            ["Channels:Rtx:CorpSecret"] = HttpProviderCredentials.CorpSecret,
            ["Channels:Rtx:AgentId"] = HttpProviderCredentials.AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Channels:Wework:WebhookUrl"] = WebhookUrl,
            ["Channels:Wework:Key"] = HttpProviderCredentials.RobotKey,
        };
        foreach (var channel in new[] { "Wechat", "Sms", "Voice" })
        {
            settings[$"Channels:{channel}:BaseUrl"] = BaseUrl.ToString();
            settings[$"Channels:{channel}:AppCode"] = HttpProviderCredentials.AppCode;
            settings[$"Channels:{channel}:AppSecret"] = HttpProviderCredentials.AppSecret;
            settings[$"Channels:{channel}:Username"] = HttpProviderCredentials.Username;
        }

        return settings;
    }

    /// <summary>Every token issued so far is answered with errcode 42001 (expired) from now on.</summary>
    public void ExpireAccessTokens() => MarkTokens(TokenState.Expired);

    /// <summary>Every token issued so far is answered with errcode 40014 (invalid) from now on.</summary>
    public void InvalidateAccessTokens() => MarkTokens(TokenState.Invalid);

    /// <summary><c>message/send</c> lists these user ids in <c>invaliduser</c> (errcode 81013 when it refuses every user).</summary>
    public void AddInvalidUsers(params string[] userIds)
    {
        lock (_gate)
        {
            _invalidUsers.UnionWith(userIds);
        }
    }

    /// <summary>The next <paramref name="times"/> requests to <paramref name="path"/> get <paramref name="fault"/>; faults queue in order.</summary>
    public void InjectFault(string path, ProviderFault fault, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            if (!_faults.TryGetValue(path, out var queue))
            {
                _faults[path] = queue = new Queue<ProviderFault>();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    /// <summary>A snapshot of the requests to <paramref name="path"/> so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string path)
    {
        lock (_gate)
        {
            return _requests.Where(r => r.Path == path).ToArray();
        }
    }

    /// <summary>
    /// Completes with the requests to <paramref name="path"/> once at least <paramref name="count"/> have arrived;
    /// throws <see cref="TimeoutException"/> listing what did arrive after <paramref name="timeout"/>
    /// (<see cref="DefaultWaitTimeout"/> when null).
    /// </summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(
        string path, int count, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultWaitTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        while (true)
        {
            Task recorded;
            lock (_gate)
            {
                var matching = _requests.Where(r => r.Path == path).ToArray();
                if (matching.Length >= count)
                {
                    return matching;
                }

                recorded = _requestRecorded.Task;
            }

            try
            {
                await recorded.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var seen = Requests;
                throw new TimeoutException(
                    $"Waited {limit.TotalSeconds:0.###} s for {count} request(s) to {path}; {seen.Count(r => r.Path == path)} arrived. " +
                    $"All requests: [{string.Join(", ", seen.Select(r => $"#{r.Sequence} {r.Method} {r.Path}"))}]");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context.Request);
        var fault = TakeFault(request.Path);
        if (fault?.DelayBy is { } delay)
        {
            using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(delay, abandoned.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (fault?.StatusCode is { } status)
        {
            context.Response.StatusCode = status;
            if (fault.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            if (fault.Location is { } location)
            {
                context.Response.Headers.Location = location;
            }

            await context.Response.WriteAsync($"injected HTTP {status}");
            return;
        }

        var answer = fault?.ErrorCode is { } code
            ? InjectedError(request.Path, code, fault.ErrorMessage)
            : request.Path == HttpProviderPaths.RobotUpload ? await RobotUploadAsync(request) : Answer(request);
        lock (_gate)
        {
            _pendingUploads.Remove(request.Sequence);
        }

        if (answer is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private async Task<RecordedRequest> RecordAsync(HttpRequest httpRequest)
    {
        using var buffer = new MemoryStream();
        await httpRequest.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var raw = Encoding.UTF8.GetString(bytes);
        JsonNode? body = null;
        if (raw.Length > 0)
        {
            try
            {
                body = JsonNode.Parse(raw);
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }
        }

        var query = httpRequest.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        lock (_gate)
        {
            var request = new RecordedRequest(_requests.Count + 1, httpRequest.Method, httpRequest.Path.Value ?? "", query, body, raw);
            _requests.Add(request);
            if (request.Path == HttpProviderPaths.RobotUpload)
            {
                _pendingUploads[request.Sequence] = (httpRequest.ContentType, bytes);
            }

            var recorded = _requestRecorded;
            _requestRecorded = NewSignal();
            recorded.SetResult();
            return request;
        }
    }

    private ProviderFault? TakeFault(string path)
    {
        lock (_gate)
        {
            return _faults.TryGetValue(path, out var queue) && queue.TryDequeue(out var fault) ? fault : null;
        }
    }

    private void MarkTokens(TokenState state)
    {
        lock (_gate)
        {
            foreach (var token in _tokens.Keys.ToArray())
            {
                _tokens[token] = state;
            }
        }
    }

    private static JsonObject? InjectedError(string path, int code, string message) =>
        path.StartsWith("/api/c/compapi/cmsi/", StringComparison.Ordinal)
            ? CmsiResult(false, code, message)
            : path.StartsWith("/cgi-bin/", StringComparison.Ordinal) ? Wecom(code, message) : null;

    private JsonObject? Answer(RecordedRequest request) => request.Path switch
    {
        HttpProviderPaths.WecomGetToken => GetToken(request),
        HttpProviderPaths.WecomMessageSend => MessageSend(request),
        HttpProviderPaths.RobotWebhook => RobotWebhook(request),
        HttpProviderPaths.CmsiSendSms => Cmsi(request, "receiver", "content"),
        HttpProviderPaths.CmsiSendVoice => Cmsi(request, "auto_read_message", "user_list_information"),
        HttpProviderPaths.CmsiSendWeixin => Cmsi(request, "receiver", "data"),
        _ => null,
    };

    private JsonObject GetToken(RecordedRequest request)
    {
        if (request.Query.GetValueOrDefault("corpid") != HttpProviderCredentials.CorpId)
        {
            return Wecom(40013, "invalid corpid");
        }

        if (request.Query.GetValueOrDefault("corpsecret") != HttpProviderCredentials.CorpSecret)
        {
            return Wecom(40001, "invalid credential");
        }

        lock (_gate)
        {
            var token = $"token-{_tokens.Count + 1}-{Guid.NewGuid():N}";
            _tokens[token] = TokenState.Valid;
            var answer = Wecom(0, "ok");
            answer["access_token"] = token;
            answer["expires_in"] = (int)_tokenLifetime.TotalSeconds;
            return answer;
        }
    }

    private JsonObject MessageSend(RecordedRequest request)
    {
        lock (_gate)
        {
            var token = request.Query.GetValueOrDefault("access_token");
            if (string.IsNullOrEmpty(token))
            {
                return Wecom(41001, "access_token missing");
            }

            switch (_tokens.TryGetValue(token, out var state) ? state : TokenState.Invalid)
            {
                case TokenState.Expired:
                    return Wecom(42001, "access_token expired");
                case TokenState.Invalid:
                    return Wecom(40014, "invalid access_token");
            }

            var body = request.Body;
            if ((int?)body?["agentid"] != HttpProviderCredentials.AgentId)
            {
                return Wecom(40056, "invalid agentid");
            }

            if (string.IsNullOrEmpty((string?)body["text"]?["content"]))
            {
                return Wecom(44004, "empty content");
            }

            var users = ((string?)body["touser"] ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);
            var invalid = users.Where(_invalidUsers.Contains).ToArray();
            var answer = invalid.Length == users.Length ? Wecom(81013, "user & party & tag all invalid") : Wecom(0, "ok");
            answer["invaliduser"] = string.Join('|', invalid);
            if (invalid.Length < users.Length)
            {
                answer["msgid"] = $"msg-{++_messageIds}";
            }

            return answer;
        }
    }

    private JsonObject RobotWebhook(RecordedRequest request)
    {
        if (request.Query.GetValueOrDefault("key") is not (HttpProviderCredentials.RobotKey or HttpProviderCredentials.OtherRobotKey))
        {
            return Wecom(93000, "invalid webhook url");
        }

        var body = request.Body;
        switch ((string?)body?["msgtype"])
        {
            case "image":
                return RobotImage(body["image"]);
            case "file" or "voice":
                var msgtype = (string)body["msgtype"]!;
                var mediaId = (string?)body[msgtype]?["media_id"];
                lock (_gate)
                {
                    return _uploads.Any(u => u.MediaId is not null && u.MediaId == mediaId && u.Type == msgtype) ? Wecom(0, "ok") : Wecom(40007, "invalid media_id");
                }
        }

        var (content, limit) = (string?)body?["msgtype"] switch
        {
            "text" => ((string?)body["text"]?["content"], RobotTextMaxBytes),
            "markdown" => ((string?)body["markdown"]?["content"], RobotMarkdownMaxBytes),
            _ => (null, 0),
        };
        if (content is null)
        {
            return Wecom(40008, "invalid message type");
        }

        return Encoding.UTF8.GetByteCount(content) > limit ? Wecom(40058, "content exceed max length") : Wecom(0, "ok");
    }

    /// <summary>
    /// Checks the key (93000), the type (40004 unless file or voice), one multipart part named <c>media</c> with a file
    /// name (40006 otherwise) and its size (more than 5 bytes, at most 20 MB: 40006), then answers a new <c>media_id</c>.
    /// </summary>
    private async Task<JsonObject> RobotUploadAsync(RecordedRequest request)
    {
        (string? ContentType, byte[] Body) sent;
        lock (_gate)
        {
            sent = _pendingUploads[request.Sequence];
        }

        var type = request.Query.GetValueOrDefault("type") ?? "";
        var (partName, fileName, fileLength, content) = await ReadFilePartAsync(sent.ContentType, sent.Body);
        var answer = request.Query.GetValueOrDefault("key") is not (HttpProviderCredentials.RobotKey or HttpProviderCredentials.OtherRobotKey) ? Wecom(93000, "invalid webhook url")
            : type is not ("file" or "voice") ? Wecom(40004, "invalid media type")
            : partName != "media" || string.IsNullOrEmpty(fileName) ? Wecom(40006, "invalid media: expected a part named media with a filename")
            : content.Length is < RobotUploadMinBytes or > RobotUploadMaxBytes ? Wecom(40006, "invalid media size")
            : null;
        lock (_gate)
        {
            string? mediaId = null;
            if (answer is null)
            {
                mediaId = $"media-{type}-{_uploads.Count + 1}";
                answer = Wecom(0, "ok");
                answer["type"] = type;
                answer["media_id"] = mediaId;
                answer["created_at"] = "1380000000";
            }

            _uploads.Add(new RecordedUpload(request.Sequence, type, partName, fileName, fileLength, content, mediaId));
            return answer;
        }
    }

    private static async Task<(string? PartName, string? FileName, long? FileLength, byte[] Content)> ReadFilePartAsync(string? contentType, byte[] body)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return (null, null, null, []);
        }

        var reader = new MultipartReader(boundary, new MemoryStream(body));
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition())
            {
                continue;
            }

            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content);
            var length = disposition.Parameters.FirstOrDefault(p => p.Name.Equals("filelength", StringComparison.OrdinalIgnoreCase))?.Value;
            return (
                HeaderUtilities.RemoveQuotes(disposition.Name).Value,
                HeaderUtilities.RemoveQuotes(disposition.FileName).Value,
                long.TryParse(length?.Value, out var n) ? n : null,
                content.ToArray());
        }

        return (null, null, null, []);
    }

    private static JsonObject Cmsi(RecordedRequest request, params string[] requiredFields)
    {
        var body = request.Body as JsonObject;
        if ((string?)body?["bk_app_code"] != HttpProviderCredentials.AppCode || (string?)body["bk_app_secret"] != HttpProviderCredentials.AppSecret)
        {
            return CmsiResult(false, 1640001, "app code or app secret is invalid");
        }

        var missing = requiredFields.FirstOrDefault(field => body[field] is null);
        return missing is null ? CmsiResult(true, 0, "OK") : CmsiResult(false, 1306000, $"{missing} is required");
    }

    /// <summary>An inline image: base64 that decodes (40009 otherwise) to at most 2 MB whose MD5 is <c>md5</c> (40009 otherwise).</summary>
    private static JsonObject RobotImage(JsonNode? image)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String((string?)image?["base64"] ?? "");
        }
        catch (FormatException)
        {
            return Wecom(40009, "invalid image: base64 does not decode");
        }

        if (bytes.Length is 0 or > RobotImageMaxBytes)
        {
            return Wecom(40009, "invalid image size");
        }

        return (string?)image!["md5"] == Convert.ToHexStringLower(MD5.HashData(bytes)) ? Wecom(0, "ok") : Wecom(40009, "invalid image: md5 mismatch");
    }

    private static JsonObject Wecom(int errcode, string errmsg) => new() { ["errcode"] = errcode, ["errmsg"] = errmsg };

    private static JsonObject CmsiResult(bool result, int code, string message) =>
        new() { ["result"] = result, ["code"] = code, ["message"] = message };
}
