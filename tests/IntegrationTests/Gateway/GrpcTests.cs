using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using ContractChannel = Notify.Grains.Abstractions.NotifyChannel;

namespace Notify.IntegrationTests.Gateway;

public sealed class GrpcTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    private GrpcTestClient Client => new(Host.Grpc);

    [Fact]
    public async Task SendEmail_Valid_DeliveredAndReadableThroughGetMessage()
    {
        var request = new SendEmailRequest { Title = "t", Body = "b", Format = EmailFormat.Html, Priority = 1, Source = "grpc", Sender = "DevOps", FrequencyLimit = 5 };
        request.Receivers.Add("grpc-a@example.com");
        request.Cc.Add("grpc-b@example.com");

        var sent = await Client.NotifyAsync<SendEmailRequest, SendResponse>("SendEmail", request);
        await Host.WaitForFinalAsync(sent.MessageId);
        var record = await Client.NotifyAsync<GetMessageRequest, MessageRecord>("GetMessage", new GetMessageRequest { Id = sent.MessageId });

        Assert.StartsWith("msg_", sent.MessageId);
        Assert.Equal(MessageStatus.Sent, record.Status);
        Assert.Equal(Channel.Email, record.Channel);
        Assert.Equal(EmailFormat.Html, record.Format);
        Assert.Equal(5, record.FrequencyLimit);
        Assert.Equal("grpc", record.Source);
        Assert.Equal([RecipientKind.To, RecipientKind.Cc], record.Receivers.Select(r => r.Kind));
        Assert.All(record.Receivers, r => Assert.Equal(ReceiverStatus.Sent, r.Status));
        Assert.NotNull(record.CompletedAt);
    }

    [Fact]
    public async Task SendEachOtherChannel_Valid_Delivered()
    {
        var rtx = new SendRtxRequest { Title = "t", Body = "b" };
        rtx.Receivers.Add("grpc.rtx");
        var wechat = new SendWechatRequest { Body = "b" };
        wechat.Receivers.Add("oGrpcWechat");
        var sms = new SendSmsRequest { Body = "b" };
        sms.Receivers.Add("13400000001");
        var voice = new SendVoiceRequest { TaskName = "call", Content = "c", Interval = 10, RecallTime = 1 };
        voice.Receivers.Add("13400000002");
        var wework = new SendWeworkRequest { Message = "m", TextType = TextType.Markdown };
        wework.Receivers.Add("grpcChat");
        wework.MentionedList.Add("@all");

        var sent = new Dictionary<ContractChannel, SendResponse>
        {
            [ContractChannel.Rtx] = await Client.NotifyAsync<SendRtxRequest, SendResponse>("SendRtx", rtx),
            [ContractChannel.Wechat] = await Client.NotifyAsync<SendWechatRequest, SendResponse>("SendWechat", wechat),
            [ContractChannel.Sms] = await Client.NotifyAsync<SendSmsRequest, SendResponse>("SendSms", sms),
            [ContractChannel.Voice] = await Client.NotifyAsync<SendVoiceRequest, SendResponse>("SendVoice", voice),
            [ContractChannel.Wework] = await Client.NotifyAsync<SendWeworkRequest, SendResponse>("SendWework", wework),
        };

        foreach (var (channel, response) in sent)
        {
            await Host.WaitForFinalAsync(response.MessageId);
            Assert.Contains(Host.Transport(channel).Deliveries, d => d.MessageId == response.MessageId);
        }

        var robot = await Client.NotifyAsync<GetMessageRequest, MessageRecord>("GetMessage", new GetMessageRequest { Id = sent[ContractChannel.Wework].MessageId });
        Assert.Equal(TextType.Markdown, robot.TextType);
        Assert.Equal(["@all"], robot.MentionedList);
    }

    [Fact]
    public async Task SendEmail_Invalid_InvalidArgumentNamingFields()
    {
        var request = new SendEmailRequest { Title = "t\nx", Body = "b", DelaySeconds = -1 };
        request.Receivers.Add("nope@");

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<SendEmailRequest, SendResponse>("SendEmail", request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("receivers[0]: 'nope@' not a valid e-mail address", error.Status.Detail);
        Assert.Contains("title: must not contain CR, LF", error.Status.Detail);
        Assert.Contains("delaySeconds: must not be negative", error.Status.Detail);
        var structured = FieldErrors.Parser.ParseFrom(error.Trailers.GetValueBytes("notify-field-errors-bin"));
        Assert.Equal(["receivers[0]", "title", "delaySeconds"], structured.Errors.Select(e => e.Field));
        Assert.Equal("must not be negative (got -1)", structured.Errors[2].Reason);
    }

    [Fact]
    public async Task SendSms_UnknownPriority_InvalidArgument()
    {
        var request = new SendSmsRequest { Body = "b", Priority = 9 };
        request.Receivers.Add("13400000003");

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<SendSmsRequest, SendResponse>("SendSms", request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("priority: ", error.Status.Detail);
    }

    [Fact]
    public async Task GetMessage_Unknown_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<GetMessageRequest, MessageRecord>("GetMessage", new GetMessageRequest { Id = "msg_missing" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("id: no message has id 'msg_missing'", error.Status.Detail);
    }

    [Fact]
    public async Task ListMessages_FilteredBySourceAndPaged_ReturnsNewestFirst()
    {
        var source = "grpc-list-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        foreach (var phone in new[] { "13300000001", "13300000002" })
        {
            var request = new SendSmsRequest { Body = "b", Source = source };
            request.Receivers.Add(phone);
            ids.Add((await Client.NotifyAsync<SendSmsRequest, SendResponse>("SendSms", request)).MessageId);
        }

        var page = await Client.NotifyAsync<ListMessagesRequest, ListMessagesResponse>("ListMessages", new ListMessagesRequest { Source = source, Channel = Channel.Sms, PageSize = 1 });
        var future = await Client.NotifyAsync<ListMessagesRequest, ListMessagesResponse>("ListMessages", new ListMessagesRequest { Source = source, From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)) });
        var badPage = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<ListMessagesRequest, ListMessagesResponse>("ListMessages", new ListMessagesRequest { PageSize = 1000 }));

        Assert.Equal(2, page.Total);
        Assert.Equal(ids[1], Assert.Single(page.Items).Id);
        Assert.Equal(0, future.Total);
        Assert.Equal(StatusCode.InvalidArgument, badPage.StatusCode);
        Assert.StartsWith("pageSize: ", badPage.Status.Detail);
    }

    [Fact]
    public async Task WhyNot_BlacklistedReceiver_ExplainsBlock()
    {
        var phone = "132" + Random.Shared.Next(10_000_000, 99_999_999);
        var add = new BlacklistChangeRequest();
        add.Users.Add(phone);
        await Client.AdminAsync<BlacklistChangeRequest, Blacklist>("AddToBlacklist", add);
        var request = new SendSmsRequest { Body = "b" };
        request.Receivers.Add(phone);
        var sent = await Client.NotifyAsync<SendSmsRequest, SendResponse>("SendSms", request);
        await Host.WaitForFinalAsync(sent.MessageId);

        var answer = await Client.NotifyAsync<WhyNotRequest, WhyNotResponse>("WhyNot", new WhyNotRequest { Receiver = phone, Channel = Channel.Sms });
        var missing = await Assert.ThrowsAsync<RpcException>(() => Client.NotifyAsync<WhyNotRequest, WhyNotResponse>("WhyNot", new WhyNotRequest()));
        await Client.AdminAsync<BlacklistChangeRequest, Blacklist>("RemoveFromBlacklist", add);

        var entry = Assert.Single(answer.Entries);
        Assert.Equal(sent.MessageId, entry.MessageId);
        Assert.Equal(MessageStatus.Blocked, entry.MessageStatus);
        Assert.Equal(ReceiverStatus.Blocked, entry.Outcome.Status);
        Assert.Equal("blacklisted", entry.Outcome.Reason);
        Assert.StartsWith("blocked: ", entry.Explanation);
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Equal("receiver: is required", missing.Status.Detail);
    }

    [Fact]
    public async Task Blacklist_AddGetRemove_RoundTrips()
    {
        var user = "grpc-user-" + Guid.NewGuid().ToString("N")[..8];
        var change = new BlacklistChangeRequest();
        change.Users.Add(user);

        var added = await Client.AdminAsync<BlacklistChangeRequest, Blacklist>("AddToBlacklist", change);
        var listed = await Client.AdminAsync<GetBlacklistRequest, Blacklist>("GetBlacklist", new GetBlacklistRequest());
        var removed = await Client.AdminAsync<BlacklistChangeRequest, Blacklist>("RemoveFromBlacklist", change);
        var empty = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<BlacklistChangeRequest, Blacklist>("AddToBlacklist", new BlacklistChangeRequest()));

        Assert.Contains(user, added.Users);
        Assert.Contains(user, listed.Users);
        Assert.DoesNotContain(user, removed.Users);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.StartsWith("users: ", empty.Status.Detail);
    }

    [Fact]
    public async Task Contact_PutGetDelete_RoundTrips()
    {
        var user = "grpc-contact-" + Guid.NewGuid().ToString("N")[..8];

        var put = await Client.AdminAsync<PutContactRequest, Contact>("PutContact", new PutContactRequest { Username = user, Email = $"{user}@example.com", WecomUserId = "w1" });
        var got = await Client.AdminAsync<GetContactRequest, Contact>("GetContact", new GetContactRequest { Username = user });
        var deleted = await Client.AdminAsync<DeleteContactRequest, DeleteContactResponse>("DeleteContact", new DeleteContactRequest { Username = user });
        var gone = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<GetContactRequest, Contact>("GetContact", new GetContactRequest { Username = user }));
        var invalid = await Assert.ThrowsAsync<RpcException>(() => Client.AdminAsync<PutContactRequest, Contact>("PutContact", new PutContactRequest { Username = user, Email = "nope" }));

        Assert.Equal(user, put.Username);
        Assert.Equal($"{user}@example.com", got.Email);
        Assert.Equal("w1", got.WecomUserId);
        Assert.NotNull(got.UpdatedAt);
        Assert.True(deleted.Deleted);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.StartsWith("email: ", invalid.Status.Detail);
    }

    [Fact]
    public async Task Reflection_ListsNotifyServices()
    {
        var reflection = new ServerReflection.ServerReflectionClient(Host.Grpc);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("notify.v1.NotifyService", services);
        Assert.Contains("notify.v1.AdminService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Theory]
    [InlineData("")]
    [InlineData("notify.v1.NotifyService")]
    [InlineData("notify.v1.AdminService")]
    public async Task Health_OverallAndPerService_Serving(string service)
    {
        var health = new Health.HealthClient(Host.Grpc);

        var response = await health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Grpc_OnHttpPort_Refused()
    {
        using var wrongPort = GrpcChannel.ForAddress($"http://127.0.0.1:{Host.Ports.Http}");
        var health = new Health.HealthClient(wrongPort);

        var error = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
    }
}
