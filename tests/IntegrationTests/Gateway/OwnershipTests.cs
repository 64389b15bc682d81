using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Gateway.TenancyHostFixture;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// Ownership through the real gateway, on REST and gRPC: a system key sees, queries and signals only what its source
/// created; someone else's id is 404 with the same words as an unknown id; action ids are per source; an admin key sees
/// all, and only it sees the addresses usernames resolved to.
/// </summary>
public sealed class OwnershipTests(TenancyHostFixture fixture) : IClassFixture<TenancyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    private GrpcTestClient Grpc => new(Host.Grpc);

    [Fact]
    public async Task Rest_Messages_SystemSeesOwnOnly_OtherIdIsNotFoundLikeUnknown_AdminSeesAll()
    {
        var user = TenancyCalls.Unique("alice");
        await TenancyCalls.PutContactAsync(Host.Http, user, $"{user}@corp.example");
        var ciId = await TenancyCalls.SendEmailAsync(Host.Http, CiKey, user);
        var otherId = await TenancyCalls.SendEmailAsync(Host.Http, OtherKey, $"{TenancyCalls.Unique("zed")}@example.com");
        await Host.WaitForFinalAsync(ciId);
        await Host.WaitForFinalAsync(otherId);

        var own = await Get($"/service/notify/messages/{ciId}", CiKey);
        var foreign = await Get($"/service/notify/messages/{otherId}", CiKey);
        var unknown = await Get("/service/notify/messages/msg_00000000000000000000000000000000", CiKey);
        var asAdmin = await Get($"/service/notify/messages/{otherId}", AdminKey);
        var ciAsAdmin = await Get($"/service/notify/messages/{ciId}", AdminKey);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal($"id: no message has id '{otherId}'", foreign.Message);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(foreign.Message!.Replace(otherId, "msg_00000000000000000000000000000000", StringComparison.Ordinal), unknown.Message);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal(OtherSource, asAdmin.Data.GetProperty("source").GetString());

        // The contact directory is the operators': a system's own record does not show where its username went.
        Assert.DoesNotContain($"{user}@corp.example", own.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{user}@corp.example", ciAsAdmin.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Rest_ListAndWhyNot_ScopedToTheCallersSource_AddressesForAdminsOnly()
    {
        var user = TenancyCalls.Unique("bob");
        var address = $"{user}@corp.example";
        await TenancyCalls.PutContactAsync(Host.Http, user, address);
        var ciId = await TenancyCalls.SendEmailAsync(Host.Http, CiKey, user);
        var otherId = await TenancyCalls.SendEmailAsync(Host.Http, OtherKey, user);
        await Host.WaitForFinalAsync(ciId);
        await Host.WaitForFinalAsync(otherId);

        var ciList = await Get($"/service/notify/messages?receiver={user}", CiKey);
        var ciListOther = await Get($"/service/notify/messages?receiver={user}&source={OtherSource}", CiKey);
        var adminList = await Get($"/service/notify/messages?receiver={user}", AdminKey);
        var ciWhyNot = await Get($"/service/notify/messages/why-not?receiver={user}", CiKey);
        var ciWhyNotAddress = await Get($"/service/notify/messages/why-not?receiver={address}", CiKey);
        var adminWhyNot = await Get($"/service/notify/messages/why-not?receiver={user}", AdminKey);
        var adminWhyNotAddress = await Get($"/service/notify/messages/why-not?receiver={address}", AdminKey);

        Assert.Equal([ciId], Ids(ciList.Data.GetProperty("items"), "id"));
        Assert.Equal(0, ciListOther.Data.GetProperty("items").GetArrayLength());
        Assert.Equal(0, ciListOther.Data.GetProperty("total").GetInt64());
        Assert.Equal(new[] { ciId, otherId }.Order(), Ids(adminList.Data.GetProperty("items"), "id").Order());
        Assert.Equal([ciId], Ids(ciWhyNot.Data, "messageId"));
        Assert.DoesNotContain(address, ciWhyNot.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(address, ciList.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // Asking a system's why-not about an address does not say which of its usernames resolved to it.
        Assert.Equal(0, ciWhyNotAddress.Data.GetArrayLength());
        Assert.Equal(new[] { ciId, otherId }.Order(), Ids(adminWhyNot.Data, "messageId").Order());
        Assert.Contains(address, adminWhyNot.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, adminWhyNotAddress.Data.GetArrayLength());
    }

    [Fact]
    public async Task Rest_Actions_IdsPerSource_OtherSystemsInstanceIsNotFound_AdminNamesTheSource()
    {
        var group = await TenancyCalls.PutGroupAsync(Host.Http, "own");
        var actionId = TenancyCalls.Unique("42");
        var ciCreate = await Post("/service/actions", TenancyCalls.ActionBody(actionId, group).ToJsonString(), CiKey);
        var otherCreate = await Post("/service/actions", TenancyCalls.ActionBody(actionId, group).ToJsonString(), OtherKey);

        Assert.True(ciCreate.StatusCode == HttpStatusCode.OK, ciCreate.ToString());
        Assert.True(otherCreate.StatusCode == HttpStatusCode.OK, otherCreate.ToString());
        Assert.Equal("ci", ciCreate.Data.GetProperty("source").GetString());
        Assert.Equal(OtherSource, otherCreate.Data.GetProperty("source").GetString());

        // ci's signals reach ci's instance only; asking for other-system's is 404, worded as for an unknown id.
        var ciShield = await Post($"/service/actions/{actionId}/shield", null, CiKey);
        var foreignGet = await Get($"/service/actions/{actionId}?source={OtherSource}", CiKey);
        var foreignAck = await Post($"/service/actions/{actionId}/ack?source={OtherSource}", null, CiKey);
        var unknownGet = await Get($"/service/actions/{TenancyCalls.Unique("none")}", CiKey);
        var otherView = await Get($"/service/actions/{actionId}", OtherKey);
        var adminView = await Get($"/service/actions/{actionId}?source=ci", AdminKey);
        var adminDefault = await Get($"/service/actions/{actionId}", AdminKey);
        var createAsOther = await Post("/service/actions", TenancyCalls.ActionBody(TenancyCalls.Unique("x"), group).With("source", $"\"{OtherSource}\"").ToJsonString(), CiKey);

        Assert.True(ciShield.Data.GetProperty("shielded").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, foreignGet.StatusCode);
        Assert.Equal($"actionId: action {actionId} does not exist", foreignGet.Message);
        Assert.Equal(HttpStatusCode.NotFound, foreignAck.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownGet.StatusCode);
        Assert.StartsWith("actionId: action ", unknownGet.Message);
        Assert.False(otherView.Data.GetProperty("shielded").GetBoolean());
        Assert.Null(otherView.Data.GetProperty("stopSignal").GetString());
        Assert.True(adminView.Data.GetProperty("shielded").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, adminDefault.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, createAsOther.StatusCode);
        Assert.Equal(["source"], createAsOther.ErrorFields);

        // The notices of an instance are its owner's records: other-system reads its own, ci cannot.
        var otherNotice = await TenancyCalls.WaitForNoticeAsync(Host.Http, actionId, OtherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await Get($"/service/notify/messages/{otherNotice}", CiKey)).StatusCode);
        Assert.Equal(OtherSource, (await Get($"/service/notify/messages/{otherNotice}", OtherKey)).Data.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Grpc_MessagesAndActions_ScopedAsOnRest()
    {
        var user = TenancyCalls.Unique("carol");
        await TenancyCalls.PutContactAsync(Host.Http, user, $"{user}@corp.example");
        var ciId = await TenancyCalls.SendEmailAsync(Host.Http, CiKey, user);
        var otherId = await TenancyCalls.SendEmailAsync(Host.Http, OtherKey, user);
        await Host.WaitForFinalAsync(ciId);
        await Host.WaitForFinalAsync(otherId);

        var foreign = await Assert.ThrowsAsync<RpcException>(() => Notify<GetMessageRequest, MessageRecord>("GetMessage", new GetMessageRequest { Id = otherId }, CiKey));
        var own = await Notify<GetMessageRequest, MessageRecord>("GetMessage", new GetMessageRequest { Id = ciId }, CiKey);
        var adminOwn = await Notify<GetMessageRequest, MessageRecord>("GetMessage", new GetMessageRequest { Id = ciId }, AdminKey);
        var list = await Notify<ListMessagesRequest, ListMessagesResponse>("ListMessages", new ListMessagesRequest { Receiver = user }, CiKey);
        var whyNot = await Notify<WhyNotRequest, WhyNotResponse>("WhyNot", new WhyNotRequest { Receiver = user }, CiKey);
        var adminWhyNot = await Notify<WhyNotRequest, WhyNotResponse>("WhyNot", new WhyNotRequest { Receiver = user }, AdminKey);

        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Equal($"id: no message has id '{otherId}'", foreign.Status.Detail);
        Assert.Equal("", Assert.Single(own.Receivers).Address);
        Assert.Equal($"{user}@corp.example", Assert.Single(adminOwn.Receivers).Address, ignoreCase: true);
        Assert.Equal([ciId], list.Items.Select(i => i.Id));
        Assert.Equal([ciId], whyNot.Entries.Select(e => e.MessageId));
        Assert.DoesNotContain($"{user}@corp.example", whyNot.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, adminWhyNot.Entries.Count);

        var group = await TenancyCalls.PutGroupAsync(Host.Http, "grpc");
        var actionId = TenancyCalls.Unique("7");
        foreach (var key in new[] { CiKey, OtherKey })
        {
            var created = await Post("/service/actions", TenancyCalls.ActionBody(actionId, group).ToJsonString(), key);
            Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
        }

        var ciAction = await Actions<GetActionRequest, ActionInstance>("GetAction", new GetActionRequest { ActionId = actionId }, CiKey);
        var foreignAction = await Assert.ThrowsAsync<RpcException>(() =>
            Actions<ActionSignalRequest, ActionInstance>("Close", new ActionSignalRequest { ActionId = actionId, Source = OtherSource }, CiKey));
        var otherAction = await Actions<GetActionRequest, ActionInstance>("GetAction", new GetActionRequest { ActionId = actionId }, OtherKey);
        var adminAction = await Actions<GetActionRequest, ActionInstance>("GetAction", new GetActionRequest { ActionId = actionId, Source = OtherSource }, AdminKey);

        Assert.Equal("ci", ciAction.Source);
        Assert.Equal(StatusCode.NotFound, foreignAction.StatusCode);
        Assert.Equal($"actionId: action {actionId} does not exist", foreignAction.Status.Detail);
        Assert.Equal(OtherSource, otherAction.Source);
        Assert.NotEqual(Api.V1.ActionSignal.Close, otherAction.StopSignal);
        Assert.Equal(OtherSource, adminAction.Source);
    }

    private Task<RestResponse> Get(string path, string key) =>
        Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, path).WithKey(key));

    private Task<RestResponse> Post(string path, string? json, string key) =>
        Host.Http.SendRestAsync(json is null ? new HttpRequestMessage(HttpMethod.Post, path).WithKey(key) : ApiKeys.JsonPost(path, json, key));

    private Task<TResponse> Notify<TRequest, TResponse>(string method, TRequest request, string key)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new()
        where TResponse : class, Google.Protobuf.IMessage<TResponse>, new() =>
        Grpc.CallAsync<TRequest, TResponse>(NotifyService.Descriptor, method, request, ApiKeys.Metadata(key));

    private Task<TResponse> Actions<TRequest, TResponse>(string method, TRequest request, string key)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new()
        where TResponse : class, Google.Protobuf.IMessage<TResponse>, new() =>
        Grpc.CallAsync<TRequest, TResponse>(ActionService.Descriptor, method, request, ApiKeys.Metadata(key));

    private static string[] Ids(JsonElement items, string name) => items.EnumerateArray().Select(i => i.GetProperty(name).GetString()!).ToArray();
}

/// <summary>Calls the tenancy tests share: contacts and groups as the operator, sends and actions as a given key.</summary>
internal static class TenancyCalls
{
    public static string Unique(string stem) => ActionGatewayRequests.Unique(stem);

    public static async Task PutContactAsync(HttpClient http, string user, string email)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/op/notify/contacts/{user}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { email }), System.Text.Encoding.UTF8, "application/json"),
        }.WithKey(AdminKey);
        var put = await http.SendRestAsync(request);
        Assert.True(put.StatusCode == HttpStatusCode.OK, put.ToString());
    }

    /// <summary>A group of <paramref name="size"/> users, each with an e-mail address; returns its id.</summary>
    public static async Task<string> PutGroupAsync(HttpClient http, string stem, int size = 1)
    {
        var group = Unique(stem);
        var members = Enumerable.Range(0, size).Select(i => $"{group}-m{i}").ToArray();
        foreach (var member in members)
        {
            await PutContactAsync(http, member, $"{member}@example.com");
        }

        var request = new HttpRequestMessage(HttpMethod.Put, $"/op/notify/usergroups/{group}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { name = group, members }), System.Text.Encoding.UTF8, "application/json"),
        }.WithKey(AdminKey);
        var put = await http.SendRestAsync(request);
        Assert.True(put.StatusCode == HttpStatusCode.OK, put.ToString());
        return group;
    }

    public static async Task<string> SendEmailAsync(HttpClient http, string key, params string[] receivers)
    {
        var json = JsonSerializer.Serialize(new { receivers, title = "ownership", body = Unique("b") });
        var sent = await http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", json, key));
        Assert.True(sent.StatusCode == HttpStatusCode.OK, sent.ToString());
        return sent.Body.GetProperty("messageId").GetString()!;
    }

    /// <summary>A mail-only instance for <paramref name="group"/> that repeats hourly, so it stays open to signals.</summary>
    public static JsonObject ActionBody(string actionId, string group) =>
        ActionGatewayRequests.ExampleBody(actionId, group)
            .With("notifyConfig.steps", """{"abnormal":["mail"]}""")
            .With("executeConfig", """{"needPoll":true,"notifyInterval":3600}""");

    /// <summary>The message id of the first mail notice of <paramref name="actionId"/>, as <paramref name="key"/> sees the instance.</summary>
    public static async Task<string> WaitForNoticeAsync(HttpClient http, string actionId, string key)
    {
        var found = await Infrastructure.Eventually.WaitAsync(
            () => http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, $"/service/actions/{actionId}").WithKey(key)),
            r => r.StatusCode == HttpStatusCode.OK && MessageId(r.Data) is not null,
            TimeSpan.FromSeconds(30),
            r => $"action {actionId} to submit a notice; GET answered {r}");
        return MessageId(found.Data)!;

        static string? MessageId(JsonElement action) =>
            action.Results("abnormal", "mail").Select(r => r.GetProperty("messageId").GetString()).FirstOrDefault(id => id is not null);
    }
}
