using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Notify.Api.V1;
using Notify.Grains.Abstractions;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Infrastructure.Host.SecuredHostFixture;

namespace Notify.IntegrationTests.Gateway;

/// <summary>The auth matrix (no key, wrong key, calling system's key, admin key) on REST and gRPC, and source binding.</summary>
public sealed class AuthenticationTests(SecuredHostFixture fixture) : IClassFixture<SecuredHostFixture>
{
    private const string EmailJson = """{"receivers":["auth@example.com"],"title":"t","body":"b"}""";

    private NotifyTestHost Host => fixture.Host;

    private GrpcTestClient GrpcCalls => new(Host.Grpc);

    // Sends: any valid key; the operator paths: an admin key only.
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, "x-api-key: is required")]
    [InlineData("not-a-configured-key", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, "x-api-key: is not a valid key")]
    [InlineData(CiKey, HttpStatusCode.OK, HttpStatusCode.Forbidden, "x-api-key: api:ci is not an admin key")]
    [InlineData(AdminKey, HttpStatusCode.OK, HttpStatusCode.OK, null)]
    public async Task Rest_KeyMatrix_SendAndOperatorPathsAnswerAsConfigured(string? key, HttpStatusCode send, HttpStatusCode op, string? refusal)
    {
        var sent = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", EmailJson, key));
        var blacklist = await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/op/notify/blacklist").WithKey(key));

        Assert.Equal(send, sent.StatusCode);
        Assert.Equal(op, blacklist.StatusCode);
        var refused = send != HttpStatusCode.OK ? sent : op != HttpStatusCode.OK ? blacklist : null;
        if (refused is not null)
        {
            // BK-CI's Result shape: status is the HTTP code, message names the header and the reason.
            Assert.Equal((int)refused.StatusCode, refused.Status);
            Assert.StartsWith(refusal!, refused.Message);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, refused.Data.ValueKind);
            Assert.Equal(["x-api-key"], refused.ErrorFields);
        }
    }

    [Fact]
    public async Task Rest_NoKey_AnswersWwwAuthenticateNamingTheHeader()
    {
        var response = await Host.Http.SendRestAsync(new HttpRequestMessage(HttpMethod.Get, "/service/notify/messages"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ApiKey header=\"x-api-key\"", Assert.Single(response.Raw.Headers.WwwAuthenticate).ToString());
    }

    // HttpClient joins the two values into one header ("k, k"), which is no key.
    [Fact]
    public async Task Rest_KeyGivenTwice_401()
    {
        var request = ApiKeys.JsonPost("/service/notify/email/send", EmailJson, CiKey);
        request.Headers.TryAddWithoutValidation(ApiKeys.Header, CiKey);

        var response = await Host.Http.SendRestAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("x-api-key: is not a valid key", response.Message);
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated, StatusCode.Unauthenticated)]
    [InlineData("not-a-configured-key", StatusCode.Unauthenticated, StatusCode.Unauthenticated)]
    [InlineData(CiKey, StatusCode.OK, StatusCode.PermissionDenied)]
    [InlineData(AdminKey, StatusCode.OK, StatusCode.OK)]
    public async Task Grpc_KeyMatrix_NotifyAndAdminServicesAnswerAsConfigured(string? key, StatusCode send, StatusCode admin)
    {
        var request = new SendEmailRequest { Title = "t", Body = "b" };
        request.Receivers.Add("auth-grpc@example.com");

        var sendStatus = await StatusOf(() => GrpcCalls.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(key)));
        var adminStatus = await StatusOf(() => GrpcCalls.CallAsync<GetBlacklistRequest, Blacklist>(AdminService.Descriptor, "GetBlacklist", new GetBlacklistRequest(), ApiKeys.Metadata(key)));

        Assert.Equal(send, sendStatus.StatusCode);
        Assert.Equal(admin, adminStatus.StatusCode);
        if (send == StatusCode.Unauthenticated)
        {
            Assert.StartsWith("x-api-key: is", sendStatus.Detail);
        }

        if (admin == StatusCode.PermissionDenied)
        {
            Assert.Equal("x-api-key: api:ci is not an admin key; operator APIs (/op/*, notify.v1.AdminService) need one of Gateway:AdminKeys", adminStatus.Detail);
        }
    }

    [Fact]
    public async Task HealthAndMetrics_NoKey_Answer()
    {
        var healthz = await Host.Http.GetAsync("/healthz", TestContext.Current.CancellationToken);
        var readyz = await Host.Http.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var metrics = await Host.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var grpcHealth = await new Health.HealthClient(Host.Grpc).CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, grpcHealth.Status);
    }

    [Fact]
    public async Task Send_KeyBoundToSource_EmptySourceTakesIt()
    {
        var response = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", EmailJson, OtherKey));
        var record = await Host.WaitForFinalAsync(response.Body.GetProperty("messageId").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("other-system", record.Message.Source);
    }

    [Fact]
    public async Task Send_KeyBoundToSource_OtherSourceRefused403OnBothSurfaces()
    {
        var rest = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send",
            """{"receivers":["auth@example.com"],"title":"t","body":"b","source":"ci"}""", OtherKey));
        var request = new SendEmailRequest { Title = "t", Body = "b", Source = "ci" };
        request.Receivers.Add("auth@example.com");
        var grpc = await StatusOf(() => GrpcCalls.CallAsync<SendEmailRequest, SendResponse>(NotifyService.Descriptor, "SendEmail", request, ApiKeys.Metadata(OtherKey)));

        Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        Assert.Equal("source: this API key sends as 'other-system' only (got 'ci')", rest.Message);
        Assert.Equal(StatusCode.PermissionDenied, grpc.StatusCode);
        Assert.Equal("source: this API key sends as 'other-system' only (got 'ci')", grpc.Detail);
    }

    [Fact]
    public async Task Send_KeyWithoutSourceSetting_BoundToItsSystemName()
    {
        var response = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send", EmailJson, CiKey));
        var record = await Host.WaitForFinalAsync(response.Body.GetProperty("messageId").GetString()!);

        Assert.Equal("ci", record.Message.Source);
        Assert.Contains(Host.Transport(NotifyChannel.Email).Deliveries, d => d.MessageId == record.Id);
    }

    [Fact]
    public async Task AdminKey_SendsWithAnySource()
    {
        var response = await Host.Http.SendRestAsync(ApiKeys.JsonPost("/service/notify/email/send",
            """{"receivers":["auth@example.com"],"title":"t","body":"b","source":"ops-test"}""", AdminKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<Status> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return Status.DefaultSuccess;
        }
        catch (RpcException exception)
        {
            return exception.Status;
        }
    }
}
