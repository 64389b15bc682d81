using System.Net;
using System.Text;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

public sealed class RestSendTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task SendEmail_IssueExample_AcceptedAndDelivered()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/email/send",
            """{"receivers":["a@example.com"],"cc":[],"bcc":[],"title":"t","body":"b","format":"TEXT","priority":1,"source":"ci","sender":"DevOps","frequencyLimit":5,"delaySeconds":0}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Status);
        Assert.Null(response.Message);
        Assert.True(response.Data.GetBoolean());
        var messageId = response.Body.GetProperty("messageId").GetString()!;
        Assert.StartsWith("msg_", messageId);
        Assert.Equal($"/service/notify/messages/{messageId}", response.Raw.Headers.Location?.OriginalString);

        var record = await Host.WaitForFinalAsync(messageId);
        Assert.Equal(MessageStatus.Sent, record.Status);
        var delivery = Assert.Single(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == messageId);
        Assert.Equal("a@example.com", Assert.Single(delivery.Recipients).Address);
        Assert.Equal("t", delivery.Message.Title);
    }

    // One seed-shaped body per remaining channel (BK-CI's pojos).
    [Theory]
    [InlineData("rtx", """{"receivers":["alice.w"],"title":"Build failed","body":"pipeline p1 #12 failed","priority":0,"source":"process","sender":"DevOps"}""")]
    [InlineData("wechat", """{"receivers":["oAbC123_openid"],"body":"pipeline p1 #12 failed","source":"process"}""")]
    [InlineData("sms", """{"receivers":["+8613800138000"],"body":"build failed","source":"process","frequencyLimit":10}""")]
    [InlineData("voice", """{"receivers":["13800138000"],"taskName":"oncall","content":"cpu high on h1","transferReceiver":"13900139000","interval":60,"recallTime":2,"source":"monitor"}""")]
    [InlineData("wework", """{"receivers":["wrkSFfCgAAxxxx"],"textType":"MARKDOWN","message":"**build** failed","mentionedList":["@all"],"source":"process"}""")]
    public async Task Send_SeedBodyPerChannel_AcceptedAndDelivered(string channelName, string json)
    {
        Assert.True(NotifyChannels.TryParse(channelName, out var channel));

        var response = await Host.Http.PostJsonAsync($"/service/notify/{channelName}/send", json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Status);
        var messageId = response.Body.GetProperty("messageId").GetString()!;
        var record = await Host.WaitForFinalAsync(messageId);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Contains(Host.Transport(channel).Deliveries, d => d.MessageId == messageId);
    }

    [Fact]
    public async Task SendVoice_Fields_MappedIntoRecord()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/voice/send",
            """{"receivers":["13800138001"],"taskName":"oncall","content":"disk full","transferReceiver":"13900139001","interval":30,"recallTime":3}""");

        var record = await Host.Http.GetJsonAsync(response.Raw.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, record.StatusCode);
        Assert.Equal("oncall", record.Data.GetProperty("title").GetString());
        Assert.Equal("disk full", record.Data.GetProperty("body").GetString());
        Assert.Equal("13900139001", record.Data.GetProperty("transferReceiver").GetString());
        Assert.Equal(30, record.Data.GetProperty("interval").GetInt32());
        Assert.Equal(3, record.Data.GetProperty("recallTime").GetInt32());
    }

    [Fact]
    public async Task SendEmail_NumbersAsStringsAndLegacyFields_AcceptedAndMapped()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/email/send",
            """{"receivers":["b@example.com"],"title":"t","body":"b","priority":"2","frequencyLimit":"5","delayMills":1500,"retryTime":3,"v2ExtInfo":{"x":1},"type":"OUTER_MAIL","source":"legacy"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await Host.Http.GetJsonAsync(response.Raw.Headers.Location!.OriginalString);
        Assert.Equal(1, record.Data.GetProperty("priority").GetInt32());
        Assert.Equal(5, record.Data.GetProperty("frequencyLimit").GetInt32());
        Assert.Equal(2, record.Data.GetProperty("delaySeconds").GetInt32());
    }

    // Every validation rule answers 400 with the field named, and nothing is recorded for the request.
    [Theory]
    [InlineData("""{"receivers":[],"title":"t","body":"b"}""", "receivers", "at least one receiver")]
    [InlineData("""{"receivers":["not-an-address@"],"title":"t","body":"b"}""", "receivers[0]", "not a valid e-mail address")]
    [InlineData("""{"receivers":["a@example.com"],"cc":["x y@example.com"],"title":"t","body":"b"}""", "cc[0]", "not a valid e-mail address")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","format":"PDF"}""", "format", "TEXT or HTML")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t\r\nBcc: x@evil.example","body":"b"}""", "title", "CR, LF")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","delaySeconds":-1}""", "delaySeconds", "must not be negative")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","frequencyLimit":-5}""", "frequencyLimit", "must not be negative")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","priority":7}""", "priority", "-1 (low)")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","colour":"red"}""", "colour", "unknown field 'colour'")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b","priority":"high"}""", "priority", "expected an integer")]
    [InlineData("""{"receivers":"a@example.com","title":"t","body":"b"}""", "receivers", "expected an array of strings")]
    [InlineData("""{"receivers":["a@example.com"],"title":7,"body":"b"}""", "title", "expected a string")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":""}""", "body", "is required")]
    [InlineData("""{"receivers":["a@example.com"],"title":"t","body":"b",""", "body", "not valid JSON")]
    [InlineData("""["a@example.com"]""", "body", "must be a JSON object")]
    public async Task SendEmail_InvalidBody_Returns400NamingField(string json, string field, string reason)
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/email/send", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, response.Status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response.Data.ValueKind);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains($"{field}: ", response.Message);
        Assert.Contains(reason, response.Message);
    }

    [Fact]
    public async Task SendEmail_TitleTooLong_Returns400AndRecordsNothing()
    {
        var source = "too-long-" + Guid.NewGuid().ToString("N")[..8];
        var json = $$"""{"receivers":["a@example.com"],"title":"{{new string('x', 513)}}","body":"b","source":"{{source}}"}""";

        var response = await Host.Http.PostJsonAsync("/service/notify/email/send", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["title"], response.ErrorFields);
        Assert.Contains("at most 512", response.Message);
        var listed = await Host.Http.GetJsonAsync($"/service/notify/messages?source={source}");
        Assert.Equal(0, listed.Data.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task SendEmail_SeveralInvalidFields_AllNamedAtOnce()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/email/send", """{"receivers":["a@example.com","bad@"],"title":"","body":"b","delaySeconds":-3}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["receivers[1]", "title", "delaySeconds"], response.ErrorFields);
    }

    [Fact]
    public async Task SendSms_FieldOfAnotherChannel_Returns400()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/sms/send", """{"receivers":["13800138000"],"body":"b","title":"t"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["title"], response.ErrorFields);
        Assert.Contains("unknown field 'title'", response.Message);
    }

    [Fact]
    public async Task SendEmail_OversizedBody_Returns413()
    {
        var json = $$"""{"receivers":["a@example.com"],"title":"t","body":"{{new string('x', 5 * 1024 * 1024)}}"}""";
        // Expect: 100-continue, as large uploads do: the server refuses on the declared length before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service/notify/email/send") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;

        using var response = await Host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"status\":413", text);
        Assert.Contains("body: is larger than 4194304 bytes", text);
    }

    [Fact]
    public async Task Healthz_OnHttpPort_Alive()
    {
        var response = await Host.Http.GetJsonAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alive", response.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rest_OnGrpcPort_NotFound()
    {
        // HTTP/2 without TLS (prior knowledge), as the gRPC port speaks.
        using var h2c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Host.Ports.Grpc}"), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var health = await h2c.GetAsync("/healthz", TestContext.Current.CancellationToken);
        using var send = await h2c.PostAsync("/service/notify/email/send", new StringContent("""{"receivers":["a@example.com"],"title":"t","body":"b"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);
    }
}
