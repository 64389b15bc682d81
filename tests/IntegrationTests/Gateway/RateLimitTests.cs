using System.Net;
using Grpc.Core;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Infrastructure.Host.SecuredHostFixture;

namespace Notify.IntegrationTests.Gateway;

/// <summary>Per-key rate limits: the limited key gets 429/RESOURCE_EXHAUSTED with a retry hint; other keys and the probes do not notice.</summary>
public sealed class RateLimitTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task Flood_OneKeyOverLimit_429WithRetryAfterAndOthersUnaffected()
    {
        var responses = new List<RestResponse>();
        for (var i = 0; i < LimitedPermits + 5; i++)
        {
            responses.Add(await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/service/notify/messages?pageSize=1").WithKey(LimitedKey)));
        }

        var other = await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/service/notify/messages?pageSize=1").WithKey(CiKey));
        var admin = await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/op/notify/blacklist").WithKey(AdminKey));
        var healthz = await Host.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        var grpc = await GrpcStatusAsync(LimitedKey);

        Assert.All(responses.Take(LimitedPermits), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var limited = responses.Skip(LimitedPermits).ToArray();
        Assert.All(limited, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        var first = limited[0];
        Assert.Equal(429, first.Status);
        Assert.Equal(["rateLimit"], first.ErrorFields);
        Assert.StartsWith("rateLimit: api:limited is over its limit of 3 deliveries per 00:01:00 (a request costs 1, a send 1 per delivery); retry after ", first.Message);
        var retryAfter = first.Raw.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, grpc.Status.StatusCode);
        Assert.StartsWith("rateLimit: api:limited is over its limit", grpc.Status.Detail);
        Assert.InRange(int.Parse(grpc.Trailers.GetValue("grpc-retry-pushback-ms")!), 1, 60_000);
    }

    private async Task<RpcException> GrpcStatusAsync(string key)
    {
        var client = new GrpcTestClient(Host.Grpc);
        return await Assert.ThrowsAsync<RpcException>(() =>
            client.CallAsync<ListMessagesRequest, ListMessagesResponse>(NotifyService.Descriptor, "ListMessages", new ListMessagesRequest { PageSize = 1 }, ApiKeys.Metadata(key)));
    }
}
