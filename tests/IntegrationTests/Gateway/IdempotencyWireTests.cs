using System.Net;
using Grpc.Core;
using Notify.Api.V1;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Infrastructure.Host.SecuredHostFixture;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// Idempotency on the wire: REST's <c>Idempotency-Key</c> header (or the body's <c>requestId</c>) and gRPC's
/// <c>request_id</c>. A retried submit is one message and one delivery; the same key with another body is a conflict.
/// </summary>
public sealed class IdempotencyWireTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task RestSend_SameIdempotencyKeyTwice_OneMessageOneDeliveryReplayed()
    {
        var key = "build-" + Guid.NewGuid().ToString("N");
        var json = """{"receivers":["idem@example.com"],"title":"Build failed","body":"p1 #12"}""";

        var first = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send", json, CiKey), key));
        var second = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send", json, CiKey), key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var messageId = first.Body.GetProperty("messageId").GetString()!;
        Assert.Equal(messageId, second.Body.GetProperty("messageId").GetString());
        Assert.False(first.Body.GetProperty("replayed").GetBoolean());
        Assert.True(second.Body.GetProperty("replayed").GetBoolean());
        Assert.False(first.Raw.Headers.Contains("Idempotency-Replay"));
        Assert.Equal("true", Assert.Single(second.Raw.Headers.GetValues("Idempotency-Replay")));
        var record = await Host.WaitForFinalAsync(messageId);
        Assert.Equal(key, record.RequestId);
        Assert.Single(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == messageId);
    }

    [Fact]
    public async Task RestSend_SameKeyDifferentBody_409NamingTheFirstMessage()
    {
        var key = "conflict-" + Guid.NewGuid().ToString("N");

        var first = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send", """{"receivers":["idem@example.com"],"title":"t","body":"one"}""", CiKey), key));
        var second = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send", """{"receivers":["idem@example.com"],"title":"t","body":"two"}""", CiKey), key));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(409, second.Status);
        Assert.Contains($"requestId: this request id was used for message {first.Body.GetProperty("messageId").GetString()} with a different body", second.Message);
    }

    [Fact]
    public async Task RestSend_HeaderAndBodyRequestIdAgree_OneMessage()
    {
        var key = "both-" + Guid.NewGuid().ToString("N");
        var json = $$"""{"receivers":["idem@example.com"],"title":"t","body":"b","requestId":"{{key}}"}""";

        var byHeader = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send", json, CiKey), key));
        var byBody = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", json, CiKey));

        Assert.Equal(byHeader.Body.GetProperty("messageId").GetString(), byBody.Body.GetProperty("messageId").GetString());
        Assert.True(byBody.Body.GetProperty("replayed").GetBoolean());
    }

    [Fact]
    public async Task RestSend_HeaderAndBodyRequestIdDiffer_400()
    {
        var response = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send",
            """{"receivers":["idem@example.com"],"title":"t","body":"b","requestId":"body-id"}""", CiKey), "header-id"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Idempotency-Key"], response.ErrorFields);
        Assert.Contains("differs from the body's requestId", response.Message);
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("")]
    public async Task RestSend_IdempotencyKeyNotPrintable_400(string key)
    {
        var response = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send",
            """{"receivers":["idem@example.com"],"title":"t","body":"b"}""", CiKey), key));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Idempotency-Key: must be 1-128 printable characters", response.Message);
    }

    [Fact]
    public async Task RestSend_SameKeyFromAnotherSystem_SeparateMessages()
    {
        // Request ids are scoped by the key's bound source: one system cannot replay or block another's.
        var key = "shared-" + Guid.NewGuid().ToString("N");
        var json = """{"receivers":["idem@example.com"],"title":"t","body":"b"}""";

        var ci = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send", json, CiKey), key));
        var other = await Host.Http.SendRestAsync(WithIdempotencyKey(ApiKeys.JsonPost("/service/notify/email/send", json, OtherKey), key));

        Assert.NotEqual(ci.Body.GetProperty("messageId").GetString(), other.Body.GetProperty("messageId").GetString());
        Assert.False(other.Body.GetProperty("replayed").GetBoolean());
    }

    [Fact]
    public async Task GrpcSend_SameRequestIdTwice_ReplayedThenConflictOnOtherBody()
    {
        var client = new GrpcTestClient(Host.Grpc);
        var requestId = "grpc-" + Guid.NewGuid().ToString("N");
        var request = Email(requestId, "b");

        var first = await client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(CiKey));
        var second = await client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(CiKey));
        var conflict = await Assert.ThrowsAsync<RpcException>(() =>
            client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", Email(requestId, "other body"), ApiKeys.Metadata(CiKey)));

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(StatusCode.FailedPrecondition, conflict.StatusCode);
        Assert.Contains($"this request id was used for message {first.MessageId} with a different body", conflict.Status.Detail);
        await Host.WaitForFinalAsync(first.MessageId);
        Assert.Single(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == first.MessageId);
    }

    private static SendEmailRequest Email(string requestId, string body)
    {
        var request = new SendEmailRequest { Title = "t", Body = body, RequestId = requestId };
        request.Receivers.Add("idem-grpc@example.com");
        return request;
    }

    private static HttpRequestMessage WithIdempotencyKey(HttpRequestMessage request, string key)
    {
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }
}
