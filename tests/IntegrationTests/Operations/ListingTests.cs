using System.Net;
using System.Text.Json;
using Notify.Api.V1;
using Notify.IntegrationTests.Gateway;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Operations;

/// <summary>
/// The keyset-paged lists through the real host: contacts, user groups and action instances over REST and gRPC, pages
/// that neither repeat nor skip, deletions left out, filters, and refusals naming the parameter.
/// </summary>
public sealed class ListingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Contacts_PagedOverRest_EachOnceInUsernameOrderAndDeletedOnesLeftOut()
    {
        await using var host = await NotifyTestHost.StartAsync();
        foreach (var user in new[] { "carol", "alice", "dave", "bob" })
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Http.PutJsonAsync($"/op/notify/contacts/{user}", $$"""{"email":"{{user}}@example.com"}""")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.Http.DeleteJsonAsync("/op/notify/contacts/dave", "{}")).StatusCode);

        var first = (await host.Http.GetJsonAsync("/op/notify/contacts?pageSize=2")).Data;
        Assert.Equal(["alice", "bob"], Usernames(first));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = (await host.Http.GetJsonAsync($"/op/notify/contacts?pageSize=2&after={cursor}")).Data;
        Assert.Equal(["carol"], Usernames(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal("carol@example.com", second.GetProperty("items")[0].GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("/op/notify/contacts?pageSize=0", "pageSize: must be between 1 and 200 (got 0)")]
    [InlineData("/op/notify/usergroups?after=%25%25", "after: is not a cursor this list returned (use nextCursor of the previous page)")]
    [InlineData("/op/notify/actions?status=asleep", "status: 'asleep' is not an action status (received, waiting, running, sleep, retrying, success, partial_success, failure, partial_failure, skipped, shield, blocked)")]
    [InlineData("/op/notify/actions?colour=red", "colour: unknown parameter 'colour' (expected one of status, alert, source, after, pageSize)")]
    public async Task List_BadParameter_RefusedNamingIt(string path, string message)
    {
        await using var host = await NotifyTestHost.StartAsync();

        var response = await host.Http.GetJsonAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task UserGroupsAndActions_ListedOverGrpc_WithTheActionStatusFilter()
    {
        await using var host = await NotifyTestHost.StartAsync();
        await ActionGatewayRequests.PutGroupAsync(host.Http, "ops-b", "alice");
        await ActionGatewayRequests.PutGroupAsync(host.Http, "ops-a", "bob");
        var sleeping = ActionGatewayRequests.Unique("listed");
        var closed = ActionGatewayRequests.Unique("listed");
        foreach (var id in new[] { sleeping, closed })
        {
            var created = await ActionGatewayRequests.CreateAsync(host.Http, ActionGatewayRequests.ExampleBody(id, "ops-a").With("notifyConfig.steps", """{"abnormal":["mail"]}"""));
            Assert.True(created.StatusCode == HttpStatusCode.OK, created.ToString());
            await ActionGatewayRequests.WaitForAsync(host.Http, id, a => a.GetProperty("status").GetString() == "sleep", "sleep", seconds: 60);
        }

        Assert.Equal(HttpStatusCode.OK, (await ActionGatewayRequests.SignalAsync(host.Http, closed, "close")).StatusCode);
        var grpc = new GrpcTestClient(host.Grpc);

        var groups = await grpc.CallAsync<ListPageRequest, ListUserGroupsResponse>(OperationsService.Descriptor, "ListUserGroups", new ListPageRequest { PageSize = 1 });
        Assert.Equal("ops-a", Assert.Single(groups.Items).GroupId);
        var rest = await grpc.CallAsync<ListPageRequest, ListUserGroupsResponse>(OperationsService.Descriptor, "ListUserGroups", new ListPageRequest { After = groups.NextCursor });
        Assert.Equal(("ops-b", ""), (Assert.Single(rest.Items).GroupId, rest.NextCursor));

        // The list is written by the instances one-way: poll until it shows the close.
        var asleep = await Infrastructure.Eventually.WaitAsync(
            () => grpc.CallAsync<ListActionsRequest, ListActionsResponse>(OperationsService.Descriptor, "ListActions", new ListActionsRequest { Status = Api.V1.ActionStatus.Sleep }),
            r => r.Items.Count == 1,
            TimeSpan.FromSeconds(30),
            r => $"{r.Items.Count} sleeping: {string.Join(", ", r.Items.Select(i => i.ActionId))}");
        var entry = Assert.Single(asleep.Items);
        Assert.Equal((sleeping, "CPU high", 1), (entry.ActionId, entry.AlertName, entry.ExecuteTimes));
        Assert.NotNull(entry.NextNotifyTime);
        var byAlert = (await host.Http.GetJsonAsync($"/op/notify/actions?alert=alert-{closed}")).Data.GetProperty("items");
        var closedEntry = Assert.Single(byAlert.EnumerateArray());
        Assert.Equal(closed, closedEntry.GetProperty("actionId").GetString());
        Assert.NotEqual("sleep", closedEntry.GetProperty("status").GetString());
    }

    private static string[] Usernames(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("username").GetString()!).ToArray();
}
