using System.Net;
using System.Text.Json;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

public sealed class RestRecordsTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task GetMessage_Sent_ReturnsRecordWithReceiverOutcomes()
    {
        var id = await SendAsync("email", """{"receivers":["rec-a@example.com"],"cc":["rec-b@example.com"],"title":"t","body":"b","source":"records","sender":"DevOps","frequencyLimit":3,"priority":-1}""");
        await Host.WaitForFinalAsync(id);

        var response = await Host.Http.GetJsonAsync($"/service/notify/messages/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Status);
        var record = response.Data;
        Assert.Equal(id, record.GetProperty("id").GetString());
        Assert.Equal("email", record.GetProperty("channel").GetString());
        Assert.Equal("sent", record.GetProperty("status").GetString());
        Assert.Equal("TEXT", record.GetProperty("format").GetString());
        Assert.Equal(-1, record.GetProperty("priority").GetInt32());
        Assert.Equal(3, record.GetProperty("frequencyLimit").GetInt32());
        Assert.Equal("records", record.GetProperty("source").GetString());
        Assert.Equal("DevOps", record.GetProperty("sender").GetString());
        Assert.Equal(32, record.GetProperty("contentMd5").GetString()!.Length);
        Assert.Equal(1, record.GetProperty("attempts").GetInt32());
        Assert.Equal(0, record.GetProperty("retryCount").GetInt32());
        Assert.False(record.GetProperty("possibleDuplicate").GetBoolean());
        var receivers = record.GetProperty("receivers").EnumerateArray().ToArray();
        Assert.Equal(["to", "cc"], receivers.Select(r => r.GetProperty("kind").GetString()));
        Assert.All(receivers, r =>
        {
            Assert.Equal("sent", r.GetProperty("status").GetString());
            Assert.Equal("none", r.GetProperty("reason").GetString());
        });
    }

    [Fact]
    public async Task GetMessage_Unknown_Returns404NamingId()
    {
        var response = await Host.Http.GetJsonAsync("/service/notify/messages/msg_nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, response.Status);
        Assert.Equal("id: no message has id 'msg_nope'", response.Message);
    }

    [Fact]
    public async Task GetMessage_PermanentFailure_ShowsReasonAndLastError()
    {
        Host.Transport(Grains.Abstractions.NotifyChannel.Sms).Script("13700000001", Infrastructure.ScriptedTransport.Permanent("400 invalid number"));
        var id = await SendAsync("sms", """{"receivers":["13700000001"],"body":"b"}""");
        await Host.WaitForFinalAsync(id);

        var record = (await Host.Http.GetJsonAsync($"/service/notify/messages/{id}")).Data;

        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Contains("400 invalid number", record.GetProperty("lastError").GetString());
        var receiver = Assert.Single(record.GetProperty("receivers").EnumerateArray());
        Assert.Equal("failed", receiver.GetProperty("status").GetString());
        Assert.Equal("permanent_failure", receiver.GetProperty("reason").GetString());
        Assert.Contains("400 invalid number", receiver.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListMessages_FiltersAndPaging_Combine()
    {
        var source = "list-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        foreach (var phone in new[] { "13600000001", "13600000002", "13600000003" })
        {
            ids.Add(await SendAsync("sms", $$"""{"receivers":["{{phone}}"],"body":"b {{phone}}","source":"{{source}}"}"""));
        }

        foreach (var id in ids)
        {
            await Host.WaitForFinalAsync(id);
        }

        var later = DateTimeOffset.UtcNow.AddHours(1);
        var firstPage = await ListAsync($"source={source}&pageSize=2");
        var secondPage = await ListAsync($"source={source}&pageSize=2&page=2");

        Assert.Equal(3, firstPage.GetProperty("total").GetInt64());
        Assert.Equal(2, firstPage.GetProperty("items").GetArrayLength());
        Assert.Equal(1, secondPage.GetProperty("items").GetArrayLength());
        Assert.Equal(2, secondPage.GetProperty("page").GetInt32());
        var listed = firstPage.GetProperty("items").EnumerateArray().Concat(secondPage.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetString());
        Assert.Equal(ids.AsEnumerable().Reverse(), listed);
        Assert.Equal(3, (await ListAsync($"source={source}&channel=sms&status=sent")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await ListAsync($"source={source}&channel=email")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await ListAsync($"source={source}&status=failed")).GetProperty("total").GetInt64());
        Assert.Equal(ids[1], Assert.Single((await ListAsync($"source={source}&receiver=13600000002")).GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(0, (await ListAsync($"source={source}&from={Uri.EscapeDataString(later.ToString("O"))}")).GetProperty("total").GetInt64());
        Assert.Equal(3, (await ListAsync($"source={source}&to={later.ToUnixTimeMilliseconds()}")).GetProperty("total").GetInt64());
    }

    // Every bad parameter is refused, naming it.
    [Theory]
    [InlineData("page=abc", "page", "expected an integer")]
    [InlineData("pageSize=0", "pageSize", "between 1 and 200")]
    [InlineData("pageSize=500", "pageSize", "between 1 and 200")]
    [InlineData("channel=fax", "channel", "must be one of email, rtx, wechat, sms, voice, wework")]
    [InlineData("status=lost", "status", "must be one of pending, sending, sent, partially_sent")]
    [InlineData("from=yesterday", "from", "ISO 8601")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "earlier than to")]
    [InlineData("colour=red", "colour", "unknown parameter 'colour'")]
    [InlineData("source=a&source=b", "source", "more than once")]
    public async Task ListMessages_BadParameter_Returns400NamingIt(string query, string field, string reason)
    {
        var response = await Host.Http.GetJsonAsync($"/service/notify/messages?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    [Fact]
    public async Task ListMessages_StatusInAnySpelling_Accepted()
    {
        var snake = await Host.Http.GetJsonAsync("/service/notify/messages?status=partially_sent");
        var pascal = await Host.Http.GetJsonAsync("/service/notify/messages?status=PartiallySent");

        Assert.Equal(HttpStatusCode.OK, snake.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pascal.StatusCode);
    }

    [Fact]
    public async Task WhyNot_FrequencyLimited_ExplainsWhoGotItFirst()
    {
        var phone = "135" + Random.Shared.Next(10_000_000, 99_999_999);
        var body = $$"""{"receivers":["{{phone}}"],"body":"disk full on h1","frequencyLimit":10}""";
        var first = await SendAsync("sms", body);
        await Host.WaitForFinalAsync(first);
        var second = await SendAsync("sms", body);
        await Host.WaitForFinalAsync(second);

        var response = await Host.Http.GetJsonAsync($"/service/notify/messages/why-not?receiver={phone}&channel=sms");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = response.Data.EnumerateArray().ToArray();
        Assert.Equal([second, first], entries.Select(e => e.GetProperty("messageId").GetString()));
        var suppressed = entries[0];
        Assert.Equal("suppressed", suppressed.GetProperty("messageStatus").GetString());
        Assert.Equal("frequency_limited", suppressed.GetProperty("outcome").GetProperty("reason").GetString());
        Assert.Equal(first, suppressed.GetProperty("outcome").GetProperty("suppressedBy").GetString());
        Assert.StartsWith("suppressed by the frequency limit", suppressed.GetProperty("explanation").GetString());
        Assert.StartsWith("delivered to", entries[1].GetProperty("explanation").GetString());
        var limited = await Host.Http.GetJsonAsync($"/service/notify/messages/why-not?receiver={phone}&limit=1");
        Assert.Equal(second, Assert.Single(limited.Data.EnumerateArray()).GetProperty("messageId").GetString());
    }

    [Theory]
    [InlineData("", "receiver", "is required")]
    [InlineData("receiver=x&limit=0", "limit", "between 1 and 200")]
    [InlineData("receiver=x&channel=pager", "channel", "must be one of")]
    [InlineData("receiver=x&page=2", "page", "unknown parameter 'page'")]
    public async Task WhyNot_BadParameter_Returns400NamingIt(string query, string field, string reason)
    {
        var response = await Host.Http.GetJsonAsync($"/service/notify/messages/why-not?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    private async Task<string> SendAsync(string channel, string json)
    {
        var response = await Host.Http.PostJsonAsync($"/service/notify/{channel}/send", json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        return response.Body.GetProperty("messageId").GetString()!;
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        var response = await Host.Http.GetJsonAsync($"/service/notify/messages?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        return response.Data;
    }
}
