using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Notify.Api.V1;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure.Host;
using ContractChannel = Notify.Grains.Abstractions.NotifyChannel;
using ContractStatus = Notify.Grains.Abstractions.Records.MessageStatus;

namespace Notify.IntegrationTests.Gateway;

/// <summary>POST /service/notify/batch and notify.v1.NotifyService/SendBatch: one result per entry, in order.</summary>
public sealed class BatchSendTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task RestBatch_MixedChannelsAndBadEntries_EachAnsweredByIndexAndValidOnesDelivered()
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/batch", """
            {"messages": [
              {"channel": "email", "receivers": ["batch-a@example.com"], "title": "t", "body": "b"},
              {"channel": "sms", "receivers": ["+8613800138011"], "body": "disk full"},
              {"channel": "email", "receivers": [], "title": "t", "body": "b"},
              {"channel": "pager", "receivers": ["x"]},
              {"channel": "rtx", "receivers": ["alice"], "title": "t", "body": "b", "colour": "red"},
              "not an object",
              {"receivers": ["no-channel@example.com"], "title": "t", "body": "b"},
              {"channel": "wework", "receivers": ["chatBatch"], "message": "m", "priority": "high"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Status);
        var results = response.Data.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(Enumerable.Range(0, 8), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(2, response.Data.GetProperty("accepted").GetInt32());
        Assert.Equal(6, response.Data.GetProperty("refused").GetInt32());

        foreach (var (index, channel) in new[] { (0, ContractChannel.Email), (1, ContractChannel.Sms) })
        {
            Assert.Equal(200, results[index].GetProperty("status").GetInt32());
            var id = results[index].GetProperty("messageId").GetString()!;
            Assert.Equal(ContractStatus.Sent, (await Host.WaitForFinalAsync(id)).Status);
            Assert.Contains(Host.Transport(channel).Deliveries, d => d.MessageId == id);
        }

        AssertRefused(results[2], 400, "messages[2].receivers");
        AssertRefused(results[3], 400, "messages[3].channel", "pager");
        AssertRefused(results[4], 400, "messages[4].colour", "unknown field");
        AssertRefused(results[5], 400, "messages[5]", "JSON object");
        AssertRefused(results[6], 400, "messages[6].channel", "required");
        AssertRefused(results[7], 400, "messages[7].priority");
    }

    [Fact]
    public async Task RestBatch_RequestIdPerEntry_ResentBatchReplaysEveryEntry()
    {
        var batch = """
            {"messages": [
              {"channel": "email", "receivers": ["replay-1@example.com"], "title": "t", "body": "b", "requestId": "batch-replay-1"},
              {"channel": "email", "receivers": ["replay-2@example.com"], "title": "t", "body": "b", "requestId": "batch-replay-2"}
            ]}
            """;

        var first = await Host.Http.PostJsonAsync("/service/notify/batch", batch);
        var second = await Host.Http.PostJsonAsync("/service/notify/batch", batch);

        var firstResults = first.Data.GetProperty("results").EnumerateArray().ToArray();
        var secondResults = second.Data.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(firstResults.Select(r => r.GetProperty("messageId").GetString()), secondResults.Select(r => r.GetProperty("messageId").GetString()));
        Assert.All(firstResults, r => Assert.False(r.GetProperty("replayed").GetBoolean()));
        Assert.All(secondResults, r => Assert.True(r.GetProperty("replayed").GetBoolean()));
        foreach (var result in firstResults)
        {
            var id = result.GetProperty("messageId").GetString()!;
            await Host.WaitForFinalAsync(id);
            Assert.Single(Host.Transport(ContractChannel.Email).Deliveries, d => d.MessageId == id);
        }
    }

    [Theory]
    [InlineData("""{"messages": []}""", "messages", "1-500")]
    [InlineData("""{"messages": {"channel": "email"}}""", "messages", "array")]
    [InlineData("""{}""", "messages", "required")]
    [InlineData("""{"messages": [], "extra": 1}""", "extra", "unknown field")]
    [InlineData("""[1, 2]""", "body", "JSON object")]
    public async Task RestBatch_NotAListOfEntries_RefusedAsAWhole(string json, string field, string reason)
    {
        var response = await Host.Http.PostJsonAsync("/service/notify/batch", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(response.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(reason, error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RestBatch_OverTheLimit_RefusedNamingTheLimit()
    {
        var entry = """{"channel": "sms", "receivers": ["13800000000"], "body": "b"}""";
        var json = new StringBuilder("""{"messages": [""").AppendJoin(',', Enumerable.Repeat(entry, 501)).Append("]}").ToString();

        var response = await Host.Http.PostJsonAsync("/service/notify/batch", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("messages: must hold 1-500 messages, not 501", response.Body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GrpcBatch_MixedEntries_OneResultPerEntryAndValidOnesDelivered()
    {
        var email = new SendEmailRequest { Title = "t", Body = "b" };
        email.Receivers.Add("grpc-batch@example.com");
        var badSms = new SendSmsRequest { Body = "" };
        badSms.Receivers.Add("13800000012");
        var voice = new SendVoiceRequest { TaskName = "call", Content = "c" };
        voice.Receivers.Add("13800000013");
        var request = new SendBatchRequest();
        request.Messages.Add(new BatchMessage { Email = email });
        request.Messages.Add(new BatchMessage { Sms = badSms });
        request.Messages.Add(new BatchMessage());
        request.Messages.Add(new BatchMessage { Voice = voice });

        var response = await new GrpcTestClient(Host.Grpc).NotifyAsync<SendBatchRequest, SendBatchResponse>("SendBatch", request);

        Assert.Equal(2, response.Accepted);
        Assert.Equal(2, response.Refused);
        Assert.Equal([0, 1, 2, 3], response.Results.Select(r => r.Index));
        Assert.Equal([200, 400, 400, 200], response.Results.Select(r => r.Status));
        Assert.StartsWith("messages[1].body", Assert.Single(response.Results[1].Errors).Field);
        Assert.Equal("messages[2]", Assert.Single(response.Results[2].Errors).Field);
        foreach (var accepted in new[] { response.Results[0], response.Results[3] })
        {
            Assert.Equal(ContractStatus.Sent, (await Host.WaitForFinalAsync(accepted.MessageId)).Status);
        }
    }

    [Fact]
    public async Task GrpcBatch_Empty_InvalidArgumentNamingMessages()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new GrpcTestClient(Host.Grpc).NotifyAsync<SendBatchRequest, SendBatchResponse>("SendBatch", new SendBatchRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("messages: must hold 1-500 messages, not 0", error.Status.Detail);
    }

    private static void AssertRefused(JsonElement result, int status, string field, string? reason = null)
    {
        Assert.Equal(status, result.GetProperty("status").GetInt32());
        Assert.Null(result.GetProperty("messageId").GetString());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString()!.StartsWith(field, StringComparison.Ordinal));
        if (reason is not null)
        {
            Assert.Contains(reason, error.GetProperty("reason").GetString());
        }
    }
}
