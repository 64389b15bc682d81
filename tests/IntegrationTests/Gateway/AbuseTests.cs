using System.Net;
using System.Text;
using Grpc.Core;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Infrastructure.Host.SecuredHostFixture;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// Bad input and abuse on a host with keys: each gets a clear refusal naming what was wrong, nothing is accepted,
/// and the silo stays ready for everyone else.
/// </summary>
public sealed class AbuseTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task Grpc_MalformedProtobuf_RefusedAndSiloStaysReady()
    {
        var invoker = Host.Grpc.CreateCallInvoker();
        var method = new Method<byte[], byte[]>(MethodType.Unary, NotifyService.Descriptor.FullName, "SendEmail", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        // A length-delimited field whose length runs past the end of the message.
        var error = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(method, null, new CallOptions(ApiKeys.Metadata(CiKey)), [0x6A, 0x7F, 0x01]).ResponseAsync);

        // Grpc.AspNetCore parses before any interceptor runs and answers UNKNOWN; detailed errors carry the parser's reason.
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("InvalidProtocolBufferException", error.Status.Detail);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Grpc_MessageOverReceiveLimit_ResourceExhaustedNamingTheLimit()
    {
        var request = new SendEmailRequest { Title = "t", Body = new string('x', 5 * 1024 * 1024) };
        request.Receivers.Add("abuse@example.com");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new GrpcTestClient(Host.Grpc).CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(CiKey)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("exceeds the maximum configured message size", error.Status.Detail);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Grpc_UnknownEnumValue_InvalidArgumentNamingField()
    {
        var request = new SendEmailRequest { Title = "t", Body = "b", Format = (EmailFormat)42 };
        request.Receivers.Add("abuse@example.com");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new GrpcTestClient(Host.Grpc).CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(CiKey)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("format: ", error.Status.Detail);
    }

    [Fact]
    public async Task Grpc_FieldOverLimit_InvalidArgumentNamingField()
    {
        var request = new SendEmailRequest { Title = new string('t', 513), Body = "b" };
        request.Receivers.Add("abuse@example.com");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new GrpcTestClient(Host.Grpc).CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(CiKey)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("title: ", error.Status.Detail);
    }

    // Each refused before anything is accepted, with the field named.
    [Theory]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b",""", "body", "not valid JSON")]
    [InlineData("""{"receivers":["a@example.com"],"title":{"nested":true},"body":"b"}""", "title", "expected a string")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","priority":1e400}""", "priority", "expected an integer")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","format":"PDF"}""", "format", "TEXT or HTML")]
    [InlineData("""{"receivers":["a@example.com\r\nBcc: victim@example.com"],"title":"t","body":"b"}""", "receivers[0]", "contains a line break or control character")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t\r\nBcc: victim@example.com","body":"b"}""", "title", "CR, LF")]
    [InlineData("""{"receivers":["a@example.com"],"cc":["a@example.com>\nBcc: <victim@example.com"],"title":"t","body":"b"}""", "cc[0]", "contains a line break or control character")]
    public async Task Rest_BadBody_400NamingField(string json, string field, string reason)
    {
        var response = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", json, CiKey));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    [Fact]
    public async Task Rest_FieldOverLimit_400()
    {
        var json = $$"""{"receivers":["a@example.com"],"title":"t","body":"{{new string('b', 1_000_001)}}"}""";

        var response = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", json, CiKey));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["body"], response.ErrorFields);
    }

    [Fact]
    public async Task Rest_ResponseHeaderInjectionThroughIdempotencyKey_Refused()
    {
        // HttpClient will not put CR/LF in a header, so write the request by hand: Kestrel must refuse it as a whole.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, Host.Ports.Http, TestContext.Current.CancellationToken);
        var stream = socket.GetStream();
        var body = """{"receivers":["a@example.com"],"title":"t","body":"b"}""";
        var request = $"POST /service/notify/email/send HTTP/1.1\r\nHost: localhost\r\nx-api-key: {CiKey}\r\nContent-Type: application/json\r\n"
            + $"Idempotency-Key: k\rSet-Cookie: injected=1\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        var answer = await new StreamReader(stream).ReadToEndAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.DoesNotContain("injected", answer);
        await AssertStillServingAsync();
    }

    private async Task AssertStillServingAsync()
    {
        var ready = await Host.Http.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var send = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", """{"receivers":["after-abuse@example.com"],"title":"t","body":"b"}""", OtherKey));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
    }
}
