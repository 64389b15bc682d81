using System.Net;
using System.Text.Json;
using Grpc.Core;
using Notify.Api.V1;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.Postgres;
using RecordStatus = Notify.Grains.Abstractions.Records.MessageStatus;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// An operator's retry and cancel through the real host, on the embedded and the Postgres profile: the new attempt
/// under the same record, the Cancelled final status, who did it and when in the record, and a cancel racing a send
/// ending in exactly one final state.
/// </summary>
public sealed class MessageOperatorActionsTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Profiles => new() { "embedded", "postgres" };

    private async Task<NotifyTestHost> StartAsync(string profile)
    {
        if (profile == "embedded")
        {
            return await NotifyTestHost.StartAsync();
        }

        var cluster = "operator-" + Guid.NewGuid().ToString("N")[..8];
        return await NotifyTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:Profile"] = "Postgres",
            ["ConnectionStrings:Notify"] = await postgres.CreateDatabaseAsync("operator", Ct),
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:ServiceId"] = cluster,
        });
    }

    private static async Task<string> SendEmailAsync(NotifyTestHost host, string receivers, int delaySeconds = 0)
    {
        var response = await host.Http.PostJsonAsync("/service/notify/email/send",
            $$"""{"receivers":[{{receivers}}],"title":"disk full","body":"/var at 99%","delaySeconds":{{delaySeconds}}}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, response.ToString());
        return response.Body.GetProperty("messageId").GetString()!;
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Retry_FailedMessageOverRest_NewAttemptUnderTheSameRecordEndsSent(string profile)
    {
        await using var host = await StartAsync(profile);
        host.Transport(NotifyChannel.Email).Script("ops@example.com", ScriptedTransport.Permanent("550 mailbox unavailable"));
        var id = await SendEmailAsync(host, "\"ops@example.com\"");
        Assert.Equal(RecordStatus.Failed, (await host.WaitForFinalAsync(id)).Status);

        var retry = await host.Http.PostJsonAsync($"/op/notify/messages/{id}/retry", """{"note":"mailbox restored"}""");

        Assert.True(retry.StatusCode == HttpStatusCode.OK, retry.ToString());
        Assert.Equal(id, retry.Data.GetProperty("id").GetString());
        Assert.Equal(2, retry.Data.GetProperty("attempts").GetInt32());
        var final = await host.WaitForFinalAsync(id);
        Assert.Equal(RecordStatus.Sent, final.Status);
        Assert.Equal(2, final.Attempts);
        var record = (await host.Http.GetJsonAsync($"/service/notify/messages/{id}")).Data;
        Assert.Equal("sent", record.GetProperty("status").GetString());
        var action = Assert.Single(record.GetProperty("operatorActions").EnumerateArray());
        Assert.Equal("retry", action.GetProperty("kind").GetString());
        Assert.Equal("loopback", action.GetProperty("operator").GetString());
        Assert.Equal("mailbox restored", action.GetProperty("note").GetString());
        Assert.Equal(2, action.GetProperty("attempt").GetInt32());
        Assert.Equal(2, host.Transport(NotifyChannel.Email).Deliveries.Count);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Retry_OneReceiverOverGrpc_OnlyThatReceiverIsSentAgain(string profile)
    {
        await using var host = await StartAsync(profile);
        var email = host.Transport(NotifyChannel.Email);
        email.Script("a@example.com", ScriptedTransport.Permanent()).Script("b@example.com", ScriptedTransport.Permanent());
        var id = await SendEmailAsync(host, "\"a@example.com\",\"b@example.com\"");
        await host.WaitForFinalAsync(id);

        var grpc = new GrpcTestClient(host.Grpc);
        var answer = await grpc.CallAsync<RetryMessageRequest, MessageRecord>(OperationsService.Descriptor, "RetryMessage",
            new RetryMessageRequest { MessageId = id, Receiver = "b@example.com" });

        Assert.Equal(Api.V1.MessageStatus.Sending, answer.Status);
        Assert.Equal("b@example.com", Assert.Single(answer.OperatorActions).Receiver);
        var final = await host.WaitForFinalAsync(id);
        Assert.Equal(RecordStatus.PartiallySent, final.Status);
        Assert.Equal(["a@example.com"], final.Receivers.Where(r => r.Status == Grains.Abstractions.Records.ReceiverStatus.Failed).Select(r => r.Receiver));
        Assert.Equal(["b@example.com"], email.DeliveredAddresses);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Cancel_DelayedMessageOverGrpc_EndsCancelledWithWhoAndWhenAndIsNeverSent(string profile)
    {
        await using var host = await StartAsync(profile);
        var id = await SendEmailAsync(host, "\"later@example.com\"", delaySeconds: 10);
        var grpc = new GrpcTestClient(host.Grpc);

        var cancelled = await grpc.CallAsync<CancelMessageRequest, MessageRecord>(OperationsService.Descriptor, "CancelMessage",
            new CancelMessageRequest { MessageId = id, Note = "wrong audience" });

        Assert.Equal(Api.V1.MessageStatus.Cancelled, cancelled.Status);
        var action = Assert.Single(cancelled.OperatorActions);
        Assert.Equal(("cancel", "loopback", "wrong audience"), (action.Kind, action.Operator, action.Note));
        Assert.Equal(Api.V1.ReceiverStatus.Cancelled, Assert.Single(cancelled.Receivers).Status);
        var list = await host.Http.GetJsonAsync("/service/notify/messages?status=cancelled");
        Assert.Contains(list.Data.GetProperty("items").EnumerateArray(), m => m.GetProperty("id").GetString() == id);
        var whyNot = Assert.Single((await host.Http.GetJsonAsync("/service/notify/messages/why-not?receiver=later@example.com")).Data.EnumerateArray());
        Assert.StartsWith("not sent: cancelled by loopback at ", whyNot.GetProperty("explanation").GetString());

        // Past the delay the reminder is gone: nothing is sent, and the record stays Cancelled.
        await DelayUntilAsync(cancelled.CreatedAt.ToDateTimeOffset().AddSeconds(10 + 3));
        Assert.Empty(host.Transport(NotifyChannel.Email).Deliveries);
        Assert.Equal(RecordStatus.Cancelled, (await host.WaitForFinalAsync(id)).Status);
        var again = await Assert.ThrowsAsync<RpcException>(() => grpc.CallAsync<CancelMessageRequest, MessageRecord>(
            OperationsService.Descriptor, "CancelMessage", new CancelMessageRequest { MessageId = id }));
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Cancel_RacingASendInFlight_ExactlyOneFinalState(string profile)
    {
        await using var host = await StartAsync(profile);
        var email = host.Transport(NotifyChannel.Email);
        email.Hold();
        var id = await SendEmailAsync(host, "\"race@example.com\"");
        await Eventually.WaitAsync(() => Task.FromResult(email.Deliveries.Count), n => n == 1, TimeSpan.FromSeconds(30), n => $"{n} deliveries started");

        // The cancel waits for the attempt's turn; the attempt delivers, so the cancel finds the message final.
        var cancel = host.Http.PostJsonAsync($"/op/notify/messages/{id}/cancel", "{}");
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        email.Release();
        var refused = await cancel;

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal($"status: message {id} is already sent: only a pending, delayed or retrying message can be cancelled", refused.Message);
        var final = await host.WaitForFinalAsync(id);
        Assert.Equal(RecordStatus.Sent, final.Status);
        Assert.Empty(final.OperatorActions);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Cancel_Retrying_EndsCancelledAndTheRetryNeverRuns(string profile)
    {
        await using var host = await StartAsync(profile);
        var email = host.Transport(NotifyChannel.Email);
        email.Script("slow@example.com", ScriptedTransport.Transient("451 try later", TimeSpan.FromSeconds(8)));
        var id = await SendEmailAsync(host, "\"slow@example.com\"");
        var retrying = await Eventually.WaitAsync(
            () => host.Http.GetJsonAsync($"/service/notify/messages/{id}"),
            r => r.Data.GetProperty("status").GetString() == "retrying",
            TimeSpan.FromSeconds(30),
            r => r.ToString());

        var cancelled = await host.Http.PostJsonAsync($"/op/notify/messages/{id}/cancel", "{}");

        Assert.True(cancelled.StatusCode == HttpStatusCode.OK, cancelled.ToString());
        Assert.Equal("cancelled", cancelled.Data.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.Data.GetProperty("nextAttemptAt").ValueKind);
        await DelayUntilAsync(retrying.Data.GetProperty("nextAttemptAt").GetDateTimeOffset().AddSeconds(3));
        Assert.Single(email.Deliveries);
        Assert.Equal(RecordStatus.Cancelled, (await host.WaitForFinalAsync(id)).Status);
    }

    private static async Task DelayUntilAsync(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Ct);
        }
    }

    [Theory]
    [InlineData("/op/notify/messages/msg_missing/retry", "{}", HttpStatusCode.NotFound, "id: no message has id 'msg_missing'")]
    [InlineData("/op/notify/messages/msg_missing/cancel", """{"colour":"red"}""", HttpStatusCode.BadRequest, "colour: unknown field 'colour'")]
    public async Task OperatorAction_BadRequest_RefusedNamingTheField(string path, string body, HttpStatusCode status, string message)
    {
        await using var host = await NotifyTestHost.StartAsync();

        var response = await host.Http.PostJsonAsync(path, body);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(message, response.Message);
    }
}
