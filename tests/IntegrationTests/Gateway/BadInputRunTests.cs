using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Gateway.TenancyHostFixture;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// A run of well over 1,000 bad or unauthorised requests through the real gateway, REST and gRPC, with two system keys
/// and an admin key: malformed bodies, missing and wrong keys, other systems' ids, wrong content types, oversized values
/// and control characters. No answer is a server error, and every refusal says why: REST in BK-CI's Result with
/// <c>errors: [{field, reason}]</c>, gRPC in its status message.
/// </summary>
public sealed class BadInputRunTests(TenancyHostFixture fixture) : IClassFixture<TenancyHostFixture>
{
    private static readonly string?[] Keys = [null, "not-a-configured-key", CiKey, OtherKey, AdminKey];

    private static readonly string[] SendPaths =
    [
        "/service/notify/email/send", "/service/notify/rtx/send", "/service/notify/wechat/send", "/service/notify/sms/send",
        "/service/notify/voice/send", "/service/notify/wework/send", "/service/notifies/email", "/service/notifies/rtx",
        "/service/notify/template/send", "/service/actions",
    ];

    private static readonly string[] BadBodies =
    [
        "{", "[]", "null", "\"text\"", "{\"receivers\":", "{\"receivers\":\"a@example.com\"}", "{\"receivers\":[1,2]}",
        "{\"receivers\":[\"a@example.com\"],\"title\":\"t\",\"body\":\"b\",\"priority\":\"high\"}",
        "{\"receivers\":[\"a@example.com\"],\"title\":\"t\",\"body\":\"b\",\"colour\":\"red\"}",
        "{\"receivers\":[\"a@example.com\"],\"title\":\"t\\u0000\",\"body\":\"b\"}",
        "{\"receivers\":[\"a@example.com\\r\\nBcc: x@example.com\"],\"title\":\"t\",\"body\":\"b\"}",
        "{\"receivers\":[\"a@example.com\"],\"title\":\"line\\r\\nbreak\",\"body\":\"b\\u0007\"}",
        "{\"receivers\":[\"a@example.com\"],\"title\":\"t\",\"body\":\"b\",\"delaySeconds\":-1,\"frequencyLimit\":99999999999}",
        "{\"receivers\":[\"a@example.com\"],\"title\":\"t\",\"body\":\"b\",\"source\":\"someone-else\"}",
        "{\"actionId\":\"../etc\",\"alert\":{},\"notifyConfig\":{}}",
        "{\"actionId\":\"a\",\"alert\":{\"id\":\"x\",\"name\":\"y\",\"beginTime\":\"yesterday\"},\"notifyConfig\":{\"userGroups\":[\"\\u0000\"]}}",
        "{\"templateCode\":\"\",\"receivers\":[],\"notifyType\":[\"PIGEON\"]}",
        "\u00ff\u00fe garbage",
    ];

    private static readonly string[] ContentTypes = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=latin1", ""];

    private static readonly string[] BadQueries =
    [
        "/service/notify/messages?pageSize=abc", "/service/notify/messages?page=-1", "/service/notify/messages?pageSize=100000",
        "/service/notify/messages?colour=red", "/service/notify/messages?from=yesterday", "/service/notify/messages?status=lost",
        "/service/notify/messages?after=not-a-cursor", "/service/notify/messages?from=2026-12-02&to=2026-12-01",
        "/service/notify/messages/why-not", "/service/notify/messages/why-not?receiver=a&limit=100000",
        "/service/notify/messages/why-not?receiver=%00%07", "/service/notify/messages/" + new string('x', 300),
        "/service/actions/..%2Fetc", "/service/actions/" + new string('a', 100), "/service/actions/a1?colour=red",
        "/op/notify/contacts/%07", "/op/notify/templates/" + new string('T', 300),
    ];

    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task ThousandBadRequests_NoServerError_EveryRefusalSaysWhy()
    {
        var otherMessage = await TenancyCalls.SendEmailAsync(Host.Http, OtherKey, $"{TenancyCalls.Unique("bad")}@example.com");
        var group = await TenancyCalls.PutGroupAsync(Host.Http, "bad");
        var otherAction = TenancyCalls.Unique("bad");
        var created = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/actions", TenancyCalls.ActionBody(otherAction, group).ToJsonString(), OtherKey));
        Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());

        var requests = RestRequests(otherMessage, otherAction).ToList();
        var problems = new List<string>();
        var refused = 0;
        foreach (var batch in requests.Chunk(8))
        {
            foreach (var (what, answer) in await Task.WhenAll(batch.Select(r => SendAsync(r))))
            {
                if (Problem(answer) is { } problem)
                {
                    problems.Add($"{what}: {problem}");
                }

                refused += (int)answer.StatusCode >= 400 ? 1 : 0;
            }
        }

        var grpc = await GrpcRunAsync(otherMessage, otherAction);
        problems.AddRange(grpc.Problems);

        Assert.True(requests.Count + grpc.Calls >= 1_000, $"only {requests.Count + grpc.Calls} requests");
        Assert.True(refused + grpc.Refused >= 900, $"only {refused + grpc.Refused} refusals: the run is meant to be bad input");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(30)));
    }

    /// <summary>Null when the answer is fine: not a server error, and a refusal names a field and a reason.</summary>
    private static string? Problem(RestResponse answer)
    {
        var code = (int)answer.StatusCode;
        if (code >= 500 && code != 501)
        {
            return $"server error {answer}";
        }

        if (code < 400)
        {
            return null;
        }

        if (answer.Body.ValueKind != JsonValueKind.Object || !answer.Body.TryGetProperty("errors", out var errors) || errors.GetArrayLength() == 0)
        {
            return $"refusal without reasons: {answer}";
        }

        return errors.EnumerateArray().Any(e => string.IsNullOrWhiteSpace(e.GetProperty("field").GetString()) || string.IsNullOrWhiteSpace(e.GetProperty("reason").GetString()))
            ? $"refusal with an empty field or reason: {answer}"
            : answer.Status == code ? null : $"status {answer.Status} in the body of a {code}";
    }

    private IEnumerable<(string What, Func<HttpRequestMessage> Make)> RestRequests(string otherMessage, string otherAction)
    {
        // Every bad body on every body path, with every key.
        foreach (var path in SendPaths)
        {
            foreach (var body in BadBodies)
            {
                foreach (var key in Keys)
                {
                    yield return ($"POST {path} {Describe(key)} {Cut(body)}", () => Json(HttpMethod.Post, path, body, key));
                }
            }
        }

        // A valid body with a wrong content type: 415 before it is read, whoever asks.
        var valid = """{"receivers":["ct@example.com"],"title":"t","body":"b"}""";
        foreach (var path in SendPaths.Concat(["/op/notify/blacklist", "/op/notify/contacts/alice", "/op/notify/usergroups/g1", "/op/notify/templates"]))
        {
            foreach (var type in ContentTypes)
            {
                foreach (var key in Keys)
                {
                    var method = path.StartsWith("/op/notify/contacts", StringComparison.Ordinal) || path.StartsWith("/op/notify/usergroups", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Post;
                    yield return ($"{method} {path} {Describe(key)} content-type '{type}'", () => WithType(method, path, valid, type, key));
                }
            }
        }

        // Oversized values: too many receivers, too long a receiver, title or body.
        var many = JsonSerializer.Serialize(new { receivers = Enumerable.Range(0, 600).Select(i => $"r{i}@example.com"), title = "t", body = "b" });
        var longReceiver = JsonSerializer.Serialize(new { receivers = new[] { new string('a', 300) + "@example.com" }, title = "t", body = "b" });
        var longTitle = JsonSerializer.Serialize(new { receivers = new[] { "a@example.com" }, title = new string('t', 10_000), body = "b" });
        var longSms = JsonSerializer.Serialize(new { receivers = new[] { "13800138000" }, body = new string('b', 5_000) });
        foreach (var key in Keys)
        {
            foreach (var (path, body) in new[] { ("/service/notify/email/send", many), ("/service/notify/email/send", longReceiver), ("/service/notify/rtx/send", longTitle), ("/service/notify/sms/send", longSms) })
            {
                for (var i = 0; i < 3; i++)
                {
                    yield return ($"POST {path} {Describe(key)} oversized", () => Json(HttpMethod.Post, path, body, key));
                }
            }
        }

        // Bad query strings and ids.
        foreach (var query in BadQueries)
        {
            foreach (var key in Keys)
            {
                for (var i = 0; i < 2; i++)
                {
                    yield return ($"GET {query} {Describe(key)}", () => new HttpRequestMessage(HttpMethod.Get, query).WithKey(key));
                }
            }
        }

        // Other systems' ids: a message and an action instance of other-system, asked for and signalled by ci.
        foreach (var signal in new[] { "ack", "recover", "close", "shield", "unshield" })
        {
            for (var i = 0; i < 6; i++)
            {
                yield return ($"POST /service/actions/{otherAction}/{signal} as ci", () => new HttpRequestMessage(HttpMethod.Post, $"/service/actions/{otherAction}/{signal}").WithKey(CiKey));
                yield return ($"POST /service/actions/{otherAction}/{signal}?source={OtherSource} as ci", () => new HttpRequestMessage(HttpMethod.Post, $"/service/actions/{otherAction}/{signal}?source={OtherSource}").WithKey(CiKey));
            }
        }

        for (var i = 0; i < 20; i++)
        {
            yield return ($"GET other's message as ci", () => new HttpRequestMessage(HttpMethod.Get, $"/service/notify/messages/{otherMessage}").WithKey(CiKey));
            yield return ($"GET other's action as ci", () => new HttpRequestMessage(HttpMethod.Get, $"/service/actions/{otherAction}").WithKey(CiKey));
            yield return ($"PATCH other's alert as ci", () => Json(HttpMethod.Patch, $"/service/actions/{otherAction}/alert?source={OtherSource}", """{"content":"x"}""", CiKey));
            yield return ($"operator path as ci", () => Json(HttpMethod.Post, "/op/notify/blacklist", """{"users":["bob"]}""", CiKey));
        }

        // Bodies over 4 MiB: 413 naming the limit (asked with Expect: 100-continue, so the refusal comes before the upload).
        var huge = JsonSerializer.Serialize(new { receivers = new[] { "a@example.com" }, title = "t", body = new string('b', 4_300_000) });
        foreach (var key in new[] { CiKey, AdminKey })
        {
            yield return ($"POST huge body {Describe(key)}", () =>
            {
                var request = Json(HttpMethod.Post, "/service/notify/email/send", huge, key);
                request.Headers.ExpectContinue = true;
                return request;
            });
        }
    }

    private async Task<(string What, RestResponse Answer)> SendAsync((string What, Func<HttpRequestMessage> Make) request) =>
        (request.What, await Host.Http.SendRestAsync(request.Make()));

    private async Task<(int Calls, int Refused, List<string> Problems)> GrpcRunAsync(string otherMessage, string otherAction)
    {
        var client = new GrpcTestClient(Host.Grpc);
        var problems = new List<string>();
        var calls = 0;
        var refused = 0;
        var cases = new List<(string What, Func<Metadata?, Task> Call)>
        {
            ("SendEmail control characters", m => client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", new SendEmailRequest { Title = "a\r\nb", Body = "\u0000", Receivers = { "x@" } }, m)),
            ("SendEmail oversized title", m => client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", new SendEmailRequest { Title = new string('t', 10_000), Body = "b", Receivers = { "a@example.com" } }, m)),
            ("SendSms no receivers", m => client.CallAsync<SendSmsRequest, SendResponse>(NotifyService.Descriptor, "SendSms", new SendSmsRequest { Body = "b" }, m)),
            ("SendEmail another source", m => client.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", new SendEmailRequest { Source = "someone-else", Title = "t", Body = "b", Receivers = { "a@example.com" } }, m)),
            ("GetMessage other's id", m => client.CallAsync<GetMessageRequest, MessageRecord>(NotifyService.Descriptor, "GetMessage", new GetMessageRequest { Id = otherMessage }, m)),
            ("GetMessage empty id", m => client.CallAsync<GetMessageRequest, MessageRecord>(NotifyService.Descriptor, "GetMessage", new GetMessageRequest(), m)),
            ("GetMessage long id", m => client.CallAsync<GetMessageRequest, MessageRecord>(NotifyService.Descriptor, "GetMessage", new GetMessageRequest { Id = new string('x', 1_000) }, m)),
            ("ListMessages page -1", m => client.CallAsync<ListMessagesRequest, ListMessagesResponse>(NotifyService.Descriptor, "ListMessages", new ListMessagesRequest { Page = -1, PageSize = 100_000 }, m)),
            ("WhyNot no receiver", m => client.CallAsync<WhyNotRequest, WhyNotResponse>(NotifyService.Descriptor, "WhyNot", new WhyNotRequest { Limit = 100_000 }, m)),
            ("GetAction bad id", m => client.CallAsync<GetActionRequest, ActionInstance>(ActionService.Descriptor, "GetAction", new GetActionRequest { ActionId = "../etc" }, m)),
            ("Close other's action", m => client.CallAsync<ActionSignalRequest, ActionInstance>(ActionService.Descriptor, "Close", new ActionSignalRequest { ActionId = otherAction, Source = OtherSource }, m)),
            ("CreateAction empty", m => client.CallAsync<CreateActionRequest, ActionInstance>(ActionService.Descriptor, "CreateAction", new CreateActionRequest { ActionId = "a\u0000" }, m)),
            ("AddToBlacklist bad entries", m => client.CallAsync<BlacklistChangeRequest, Blacklist>(AdminService.Descriptor, "AddToBlacklist", new BlacklistChangeRequest { Users = { "", "\u0007" } }, m)),
        };
        foreach (var (what, call) in cases)
        {
            foreach (var key in Keys)
            {
                for (var i = 0; i < 3; i++)
                {
                    calls++;
                    try
                    {
                        await call(ApiKeys.Metadata(key));
                    }
                    catch (RpcException exception)
                    {
                        refused++;
                        if (exception.StatusCode is StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss or StatusCode.Unavailable || string.IsNullOrWhiteSpace(exception.Status.Detail))
                        {
                            problems.Add($"gRPC {what} {Describe(key)}: {exception.StatusCode} '{exception.Status.Detail}'");
                        }
                    }
                }
            }
        }

        return (calls, refused, problems);
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body, string? key) =>
        new HttpRequestMessage(method, path) { Content = new StringContent(body, new MediaTypeHeaderValue("application/json")) }.WithKey(key);

    private static HttpRequestMessage WithType(HttpMethod method, string path, string body, string type, string? key)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (type.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        }

        return new HttpRequestMessage(method, path) { Content = content }.WithKey(key);
    }

    private static string Describe(string? key) => key switch
    {
        null => "without a key",
        CiKey => "as ci",
        OtherKey => "as other",
        AdminKey => "as admin",
        _ => "with a wrong key",
    };

    private static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
