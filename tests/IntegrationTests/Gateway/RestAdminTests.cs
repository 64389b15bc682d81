using System.Net;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure.Host;

namespace Notify.IntegrationTests.Gateway;

public sealed class RestAdminTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    [Fact]
    public async Task Blacklist_AddListRemove_RoundTrips()
    {
        var user = Unique("dave");

        var added = await Host.Http.PostJsonAsync("/op/notify/blacklist", $$"""{"users":["{{user.ToUpperInvariant()}}"]}""");
        var listed = await Host.Http.GetJsonAsync("/op/notify/blacklist");
        var removed = await Host.Http.DeleteJsonAsync("/op/notify/blacklist", $$"""{"users":["{{user}}"]}""");
        var after = await Host.Http.GetJsonAsync("/op/notify/blacklist");

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains(user, Users(added));
        Assert.Contains(user, Users(listed));
        Assert.DoesNotContain(user, Users(removed));
        Assert.DoesNotContain(user, Users(after));
    }

    [Theory]
    [InlineData("""{"users":[]}""", "users", "at least one user")]
    [InlineData("""{"users":["not a user!"]}""", "users[0]", "is not a username")]
    [InlineData("""{"user":["bob"]}""", "user", "unknown field 'user'")]
    [InlineData("""{"users":"bob"}""", "users", "expected an array of strings")]
    public async Task Blacklist_BadBody_Returns400NamingField(string json, string field, string reason)
    {
        var response = await Host.Http.PostJsonAsync("/op/notify/blacklist", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    [Fact]
    public async Task SendEmail_BlacklistedUserInCc_IsBlocked()
    {
        var bob = Unique("bob");
        Assert.Equal(HttpStatusCode.OK, (await Host.Http.PutJsonAsync($"/op/notify/contacts/{bob}", $$"""{"email":"{{bob}}@example.com"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.Http.PostJsonAsync("/op/notify/blacklist", $$"""{"users":["{{bob}}"]}""")).StatusCode);

        var sent = await Host.Http.PostJsonAsync("/service/notify/email/send", $$"""{"receivers":["{{bob}}-boss@example.com"],"cc":["{{bob}}"],"title":"t","body":"b"}""");
        var id = sent.Body.GetProperty("messageId").GetString()!;
        await Host.WaitForFinalAsync(id);
        var record = (await Host.Http.GetJsonAsync($"/service/notify/messages/{id}")).Data;

        var receivers = record.GetProperty("receivers").EnumerateArray().ToDictionary(r => r.GetProperty("receiver").GetString()!);
        Assert.Equal("blocked", receivers[bob].GetProperty("status").GetString());
        Assert.Equal("blacklisted", receivers[bob].GetProperty("reason").GetString());
        Assert.Equal("cc", receivers[bob].GetProperty("kind").GetString());
        Assert.Equal("sent", receivers[$"{bob}-boss@example.com"].GetProperty("status").GetString());
        Assert.DoesNotContain(Host.Transport(NotifyChannel.Email).Deliveries.Where(d => d.MessageId == id).SelectMany(d => d.Recipients), r => r.Address == $"{bob}@example.com");
    }

    [Fact]
    public async Task SendEmail_Username_ResolvedThroughContact()
    {
        var carol = Unique("carol");
        await Host.Http.PutJsonAsync($"/op/notify/contacts/{carol}", $$"""{"email":"{{carol}}@example.com","phone":"+8613800000000"}""");

        var sent = await Host.Http.PostJsonAsync("/service/notify/email/send", $$"""{"receivers":["{{carol}}"],"title":"t","body":"b"}""");
        var id = sent.Body.GetProperty("messageId").GetString()!;
        await Host.WaitForFinalAsync(id);
        var record = (await Host.Http.GetJsonAsync($"/service/notify/messages/{id}")).Data;

        var receiver = Assert.Single(record.GetProperty("receivers").EnumerateArray());
        Assert.Equal(carol, receiver.GetProperty("receiver").GetString());
        Assert.Equal("sent", receiver.GetProperty("status").GetString());
        var delivery = Assert.Single(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == id);
        Assert.Equal($"{carol}@example.com", Assert.Single(delivery.Recipients).Address);
    }

    [Fact]
    public async Task Contact_PutGetDelete_RoundTrips()
    {
        var erin = Unique("erin");

        var put = await Host.Http.PutJsonAsync($"/op/notify/contacts/{erin}", """{"email":"erin@example.com","phone":"13800000000","wecomUserId":"erin.w","wechatOpenId":"oErin"}""");
        var got = await Host.Http.GetJsonAsync($"/op/notify/contacts/{erin}");
        var deleted = await Host.Http.SendJsonAsync(HttpMethod.Delete, $"/op/notify/contacts/{erin}", null);
        var gone = await Host.Http.GetJsonAsync($"/op/notify/contacts/{erin}");
        var deletedAgain = await Host.Http.SendJsonAsync(HttpMethod.Delete, $"/op/notify/contacts/{erin}", null);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(erin, put.Data.GetProperty("username").GetString());
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal("erin@example.com", got.Data.GetProperty("email").GetString());
        Assert.Equal("13800000000", got.Data.GetProperty("phone").GetString());
        Assert.Equal("erin.w", got.Data.GetProperty("wecomUserId").GetString());
        Assert.Equal("oErin", got.Data.GetProperty("wechatOpenId").GetString());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(deleted.Data.GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal($"username: no contact for '{erin}'", gone.Message);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Theory]
    [InlineData("""{"email":"not-mail"}""", "email", "not a valid e-mail address")]
    [InlineData("""{"phone":"12"}""", "phone", "not a phone number")]
    [InlineData("""{}""", "email", "at least one of")]
    [InlineData("""{"email":"f@example.com","pager":"1"}""", "pager", "unknown field 'pager'")]
    public async Task PutContact_BadBody_Returns400NamingField(string json, string field, string reason)
    {
        var response = await Host.Http.PutJsonAsync($"/op/notify/contacts/{Unique("frank")}", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, response.ErrorFields);
        Assert.Contains(reason, response.Message);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..8]}";

    private static IReadOnlyList<string> Users(RestResponse response) =>
        response.Data.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).ToArray();
}
