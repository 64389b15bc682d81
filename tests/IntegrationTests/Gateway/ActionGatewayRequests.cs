using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

/// <summary>DESIGN.md's example action body, made unique per test, and the REST calls the action tests share.</summary>
internal static class ActionGatewayRequests
{
    public static string Unique(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>DESIGN.md's example body for <paramref name="actionId"/>, notifying <paramref name="group"/>.</summary>
    public static JsonObject ExampleBody(string actionId, string group) => JsonNode.Parse($$$$"""
        {"actionId":"{{{{actionId}}}}",
         "alert":{"id":"alert-{{{{actionId}}}}","name":"CPU high","level":1,"status":"ABNORMAL","content":"cpu 95%","dimensions":{"host":"h1"},"beginTime":"2026-11-23T00:00:00Z"},
         "notifyConfig":{"userGroups":["{{{{group}}}}"],"steps":{"abnormal":["mail","rtx"],"recovered":["mail"],"ack":["mail"]}},
         "executeConfig":{"needPoll":true,"notifyInterval":7200,"intervalNotifyMode":"increasing","failedRetry":{"isEnabled":true,"maxRetryTimes":2,"retryInterval":60,"timeout":600}}}
        """)!.AsObject();

    /// <summary>Sets (or, for a null <paramref name="json"/>, removes) the field at a dotted <paramref name="path"/>.</summary>
    public static JsonObject With(this JsonObject body, string path, string? json)
    {
        var names = path.Split('.');
        var parent = body;
        foreach (var name in names[..^1])
        {
            parent = parent[name]!.AsObject();
        }

        if (json is null)
        {
            parent.Remove(names[^1]);
        }
        else
        {
            parent[names[^1]] = JsonNode.Parse(json);
        }

        return body;
    }

    /// <summary>A group of users who each have an e-mail address, so every notice way reaches them.</summary>
    public static async Task PutGroupAsync(HttpClient http, string group, params string[] members)
    {
        foreach (var member in members)
        {
            var contact = await http.PutJsonAsync($"/op/notify/contacts/{member}", $$"""{"email":"{{member}}@example.com","wecomUserId":"{{member}}"}""");
            Assert.True(contact.StatusCode == HttpStatusCode.OK, contact.ToString());
        }

        var put = await http.PutJsonAsync($"/op/notify/usergroups/{group}", JsonSerializer.Serialize(new { name = group, members }));
        Assert.True(put.StatusCode == HttpStatusCode.OK, put.ToString());
    }

    public static Task<RestResponse> CreateAsync(HttpClient http, JsonObject body) =>
        http.PostJsonAsync("/service/actions", body.ToJsonString());

    public static Task<RestResponse> SignalAsync(HttpClient http, string actionId, string signal) =>
        http.SendJsonAsync(HttpMethod.Post, $"/service/actions/{actionId}/{signal}", null);

    /// <summary>Reads <c>GET /service/actions/{id}</c> until <paramref name="done"/> holds for its <c>data</c>.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient http, string actionId, Func<JsonElement, bool> done, string what, int seconds = 20) =>
        (await Eventually.WaitAsync(
            () => http.GetJsonAsync($"/service/actions/{actionId}"),
            r => r.StatusCode == HttpStatusCode.OK && done(r.Data),
            TimeSpan.FromSeconds(seconds),
            r => $"action {actionId} to {what}; GET answered {r}")).Data;

    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    /// <summary>The results of one way of one step: <c>noticeResults[step][way]</c>, empty when there are none.</summary>
    public static JsonElement[] Results(this JsonElement action, string step, string way) =>
        action.GetProperty("noticeResults").TryGetProperty(step, out var ways) && ways.TryGetProperty(way, out var results)
            ? results.EnumerateArray().ToArray()
            : [];
}
