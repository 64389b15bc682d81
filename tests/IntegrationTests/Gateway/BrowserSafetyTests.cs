using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// What keeps a web page from driving a local gateway: JSON bodies must be labelled JSON (a page cannot send that
/// cross-site without asking), and an open gateway (no keys) answers only loopback Hosts and Origins.
/// </summary>
public sealed class BrowserSafetyTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=utf-16")]
    public async Task BlacklistAdd_NotJsonContentType_Is415NamingTheHeaderAndAddsNothing(string contentType)
    {
        var user = Unique("page");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/op/notify/blacklist") { Content = Body($$"""{"users":["{{user}}"]}""", contentType) };

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(415, response.Status);
        Assert.Equal(["Content-Type"], response.ErrorFields);
        Assert.Contains(contentType, response.Message);
        Assert.DoesNotContain(user, Users(await Host.Http.GetJsonAsync("/op/notify/blacklist")));
    }

    [Fact]
    public async Task ContactPut_NoContentType_Is415SayingItIsMissing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/op/notify/contacts/{Unique("nobody")}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"email":"nobody@example.com"}""")),
        };

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(["Content-Type"], response.ErrorFields);
        Assert.Contains("is missing", response.Message);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=UTF-8")]
    [InlineData("application/vnd.notify+json")]
    public async Task BlacklistAdd_JsonContentType_IsAccepted(string contentType)
    {
        var user = Unique("json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/op/notify/blacklist") { Content = Body($$"""{"users":["{{user}}"]}""", contentType) };

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(user, Users(response));
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/json")]
    public async Task BkciWeworkText_KeepsTakingItsTextBody(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/notifies/wework/text?receivers=wrkSafetyChat&receiverType=single&textType=text")
        {
            Content = Body(contentType.StartsWith("text/", StringComparison.Ordinal) ? "build failed" : "\"build failed\"", contentType),
        };

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Status);
    }

    [Fact]
    public async Task BkciWeworkMedia_StillReadsMultipart()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "file", "chart.png" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/notifies/wework/media?receivers=wrkSafetyChat&receiverType=group&mediaType=image&mediaName=chart.png")
        {
            Content = form,
        };

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Status);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:80")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("192.168.1.10")]
    public async Task OpenGateway_NonLoopbackHost_Is403NamingHost(string host)
    {
        var user = Unique("rebound");
        using var request = JsonRequest($$"""{"users":["{{user}}"]}""");
        request.Headers.Host = host;

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["Host"], response.ErrorFields);
        Assert.Contains(host, response.Message);
        Assert.DoesNotContain(user, Users(await Host.Http.GetJsonAsync("/op/notify/blacklist")));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("null")]
    public async Task OpenGateway_CrossSiteOrigin_Is403NamingOrigin(string origin)
    {
        using var request = JsonRequest($$"""{"users":["{{Unique("crosssite")}}"]}""");
        request.Headers.TryAddWithoutValidation("Origin", origin);

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["Origin"], response.ErrorFields);
        Assert.Contains(origin, response.Message);
    }

    [Theory]
    [InlineData("localhost", null)]
    [InlineData("[::1]", "http://[::1]:8080")]
    [InlineData("127.0.0.1", "http://localhost:3000")]
    public async Task OpenGateway_LoopbackHostAndOrigin_AreAccepted(string hostName, string? origin)
    {
        var user = Unique("local");
        using var request = JsonRequest($$"""{"users":["{{user}}"]}""");
        request.Headers.Host = $"{hostName}:{Host.Ports.Http}";
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(user, Users(response));
    }

    [Fact]
    public async Task OpenGateway_GrpcWithCrossSiteOrigin_IsPermissionDenied()
    {
        var grpc = new GrpcTestClient(Host.Grpc);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            grpc.CallAsync<GetBlacklistRequest, Blacklist>(AdminService.Descriptor, "GetBlacklist", new GetBlacklistRequest(), new Metadata { { "origin", "https://evil.example" } }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("Origin", error.Status.Detail);
    }

    private static HttpRequestMessage JsonRequest(string json) =>
        new(HttpMethod.Post, "/op/notify/blacklist") { Content = Body(json, "application/json") };

    private static ByteArrayContent Body(string text, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..8]}";

    private static IReadOnlyList<string> Users(RestResponse response) =>
        response.Data.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).ToArray();
}

/// <summary>With keys the Host and Origin rules do not apply: a page has no key, and a keyed gateway may sit behind any name.</summary>
public sealed class BrowserSafetyKeyedGatewayTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    [Fact]
    public async Task KeyedGateway_AnyHostAndOriginWithAKey_AreAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/op/notify/blacklist").WithKey(SecuredHostFixture.AdminKey);
        request.Headers.Host = "notify.internal.example";
        request.Headers.TryAddWithoutValidation("Origin", "https://console.internal.example");

        var response = await fixture.Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeyedGateway_TextPlainJsonBody_IsStill415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/op/notify/blacklist")
        {
            Content = new StringContent("""{"users":["mallory"]}""", new MediaTypeHeaderValue("text/plain")),
        }.WithKey(SecuredHostFixture.AdminKey);

        var response = await fixture.Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(["Content-Type"], response.ErrorFields);
    }
}
