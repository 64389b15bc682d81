using System.Net;
using System.Text.Json;
using Grpc.Core;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Gateway.TenancyHostFixture;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// Per-key limits count deliveries, not requests, through the real gateway: a request costs one token, a send one per
/// receiver (cc and bcc too), and an action instance's notices are charged to the key that created it. Action instances
/// are bounded: a minimum repeat interval and receivers per notice way, refused naming the field and the limit.
/// </summary>
public sealed class DeliveryLimitTests(TenancyHostFixture fixture) : IClassFixture<TenancyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task Rest_SendsCostOneTokenPerDelivery_TheSendThatDoesNotFitIsRefusedWhole()
    {
        var five = await Send(QuotaKey, Receivers(4), cc: ["cc@example.com"]);
        var fiveMore = await Send(QuotaKey, Receivers(5));
        var three = await Send(QuotaKey, Receivers(3));
        var read = await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/service/notify/messages?pageSize=1").WithKey(QuotaKey));
        var overRead = await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/service/notify/messages?pageSize=1").WithKey(QuotaKey));
        var tooBig = await Send(CiKey, Receivers(3)); // another key is not slowed

        Assert.True(five.StatusCode == HttpStatusCode.OK, five.ToString());
        Assert.True(fiveMore.StatusCode == HttpStatusCode.OK, fiveMore.ToString());

        // 10 of 12 used: the request of the three-receiver send takes the 11th, its other two deliveries do not fit.
        Assert.Equal(HttpStatusCode.TooManyRequests, three.StatusCode);
        Assert.Equal(["rateLimit"], three.ErrorFields);
        Assert.StartsWith($"rateLimit: api:quota is over its limit of {QuotaPermits} deliveries per {QuotaWindow}: this send has 3; retry after ", three.Message);
        Assert.NotNull(three.Raw.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, overRead.StatusCode);
        Assert.StartsWith($"rateLimit: api:quota is over its limit of {QuotaPermits} deliveries per {QuotaWindow} (a request costs 1, a send 1 per delivery); retry after ", overRead.Message);
        Assert.Equal(HttpStatusCode.OK, tooBig.StatusCode);

        // The refused send was not accepted: the key's records hold the two that were.
        var records = await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/service/notify/messages?source=quota").WithKey(AdminKey));
        Assert.Equal(2, records.Data.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Grpc_OneSendWithMoreDeliveriesThanTheLimit_RefusedNamingBoth()
    {
        var client = new GrpcTestClient(Host.Grpc);
        var request = new SendEmailRequest { Title = "t", Body = "b" };
        request.Receivers.Add(Receivers(10));
        request.Bcc.Add(Receivers(3));

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(QuotaGrpcKey)));
        var fits = new SendEmailRequest { Title = "t", Body = "b" };
        fits.Receivers.Add(Receivers(10));
        var sent = await client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", fits, ApiKeys.Metadata(QuotaGrpcKey));
        var over = await Assert.ThrowsAsync<RpcException>(() =>
            client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", fits, ApiKeys.Metadata(QuotaGrpcKey)));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal($"rateLimit: this send has 13 deliveries, more than api:quota-grpc's limit of {QuotaPermits} per {QuotaWindow}; send it in parts", refused.Status.Detail);
        Assert.StartsWith("msg_", sent.MessageId);
        Assert.Equal(StatusCode.ResourceExhausted, over.StatusCode);
        Assert.Contains("this send has 10", over.Status.Detail, StringComparison.Ordinal);
        Assert.InRange(int.Parse(over.Trailers.GetValue("grpc-retry-pushback-ms")!, System.Globalization.CultureInfo.InvariantCulture), 1, 600_000);
    }

    [Fact]
    public async Task ActionNotices_CountAgainstTheCreatingKeysLimit()
    {
        var group = await TenancyCalls.PutGroupAsync(Host.Http, "quota", size: MaxReceiversPerWay);
        var actionId = TenancyCalls.Unique("quota");
        var created = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/actions", TenancyCalls.ActionBody(actionId, group).ToJsonString(), QuotaActionKey));
        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());

        // Watched with the admin key, so the polling costs the quota key nothing.
        await Infrastructure.Eventually.WaitAsync(
            () => Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, $"/service/actions/{actionId}?source=quota-action").WithKey(AdminKey)),
            r => r.Data.Results("abnormal", "mail").Any(result => result.GetProperty("messageId").ValueKind == JsonValueKind.String),
            TimeSpan.FromSeconds(30),
            r => $"the first notice of {actionId}; GET answered {r}");

        // 12 = 1 (the create) + 5 (its notice) + 6: a send to 7 no longer fits, though without the notice it would.
        var seven = await Send(QuotaActionKey, Receivers(7));
        var one = await Send(QuotaActionKey, Receivers(1));

        Assert.Equal(HttpStatusCode.TooManyRequests, seven.StatusCode);
        Assert.Contains("this send has 7", seven.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
    }

    [Fact]
    public async Task Rest_ActionCosts_RepeatIntervalAndReceiversPerWay_RefusedNamingFieldAndLimit()
    {
        var wide = await TenancyCalls.PutGroupAsync(Host.Http, "wide", size: MaxReceiversPerWay + 1);
        var narrow = await TenancyCalls.PutGroupAsync(Host.Http, "narrow");

        var everySecond = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/actions",
            TenancyCalls.ActionBody(TenancyCalls.Unique("fast"), narrow).With("executeConfig.notifyInterval", "1").ToJsonString(), CiKey));
        var tooMany = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/actions",
            TenancyCalls.ActionBody(TenancyCalls.Unique("wide"), wide).ToJsonString(), CiKey));

        Assert.Equal(HttpStatusCode.BadRequest, everySecond.StatusCode);
        Assert.Equal("executeConfig.notifyInterval: must be at least 60 seconds between repeats (Notify:Actions:MinNotifyIntervalSeconds), or 0 for no repeats (got 1)", everySecond.Message);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal($"notifyConfig.userGroups: the user groups reach {MaxReceiversPerWay + 1} receivers on one notice way; at most {MaxReceiversPerWay} are allowed (Notify:Actions:MaxReceiversPerWay)", tooMany.Message);
    }

    private Task<RestResponse> Send(string key, string[] receivers, string[]? cc = null) =>
        Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send",
            JsonSerializer.Serialize(new { receivers, cc = cc ?? [], title = "limits", body = TenancyCalls.Unique("b") }), key));

    private static string[] Receivers(int count)
    {
        var stem = TenancyCalls.Unique("r");
        return Enumerable.Range(0, count).Select(i => $"{stem}-{i}@example.com").ToArray();
    }
}
