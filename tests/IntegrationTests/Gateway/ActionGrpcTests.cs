using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Notify.Api.V1;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using static Notify.IntegrationTests.Gateway.ActionGatewayRequests;

namespace Notify.IntegrationTests.Gateway;

/// <summary><c>notify.v1.ActionService</c> and the user group RPCs of <c>AdminService</c> over real HTTP/2.</summary>
public sealed class ActionGrpcTests(NotifyHostFixture fixture) : IClassFixture<NotifyHostFixture>
{
    private NotifyTestHost Host => fixture.Host;

    private HttpClient Http => Host.Http;

    private GrpcTestClient Client => new(Host.Grpc);

    private Task<ActionInstance> ActionsAsync<TRequest>(string method, TRequest request)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new() =>
        Client.CallAsync<TRequest, ActionInstance>(ActionService.Descriptor, method, request);

    private Task<TResponse> AdminAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>, new()
        where TResponse : class, Google.Protobuf.IMessage<TResponse>, new() =>
        Client.CallAsync<TRequest, TResponse>(AdminService.Descriptor, method, request);

    [Fact]
    public async Task CreateAction_Valid_SleepsAfterTheFirstNoticeWithResultsPerStepAndWay()
    {
        var (id, group) = (Unique("grpc-act"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("gina"));

        var created = await ActionsAsync("CreateAction", Request(id, group));
        var action = await Eventually.WaitAsync(
            () => ActionsAsync("GetAction", new GetActionRequest { ActionId = id }),
            a => a.Status == ActionStatus.Sleep,
            TimeSpan.FromSeconds(20),
            a => $"action {id} is {a.Status}");

        Assert.Equal(id, created.ActionId);
        Assert.Equal(1, action.ExecuteTimes);
        Assert.Equal(FailureType.Unspecified, action.FailureType);
        Assert.Equal(action.Runs[0].StartedAt.ToDateTimeOffset().AddSeconds(3600), action.NextNotifyTime.ToDateTimeOffset());
        Assert.Equal(ActionStatus.Success, Assert.Single(action.Runs).Outcome);
        Assert.Equal("abnormal", action.Runs[0].Step);
        var mail = Assert.Single(action.NoticeResults["abnormal"].Ways["mail"].Results);
        Assert.Equal((NoticeWayStatus.Sent, Channel.Email, 1, 1), (mail.Status, mail.Channel, mail.ExecuteTimes, mail.Sent));
        Assert.Equal($"action:{id}/abnormal/1/mail", mail.Reference);
        Assert.Equal(AlertStatus.Abnormal, action.Alert.Status);
        Assert.Equal("h1", action.Alert.Dimensions["host"]);
        Assert.Equal(IntervalNotifyMode.Increasing, action.ExecuteConfig.IntervalNotifyMode);
        // Absent optional fields take bk-monitor's defaults.
        Assert.True(action.ExecuteConfig.NeedPoll);
        Assert.Equal(60, action.ExecuteConfig.FailedRetry.RetryInterval);
        Assert.Equal(1, action.Alert.Level);

        var closed = await ActionsAsync("Close", new ActionSignalRequest { ActionId = id });
        Assert.Equal(ActionSignal.Close, closed.StopSignal);
        var refused = await Assert.ThrowsAsync<RpcException>(() => ActionsAsync("Ack", new ActionSignalRequest { ActionId = id }));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("status: ", refused.Status.Detail);
    }

    [Fact]
    public async Task UpdateAlert_OpenInstance_TheAlertIsUpdatedAndAClosedOneIsFailedPrecondition()
    {
        var (id, group) = (Unique("grpc-upd"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("hank"));
        await ActionsAsync("CreateAction", Request(id, group));

        var update = new UpdateAlertRequest { ActionId = id, Content = "cpu 99%", Level = 3, EventCount = 9, ReplaceDimensions = true, LatestAnomalyTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 23, 0, 10, 0, TimeSpan.Zero)) };
        update.Dimensions.Add("host", "h9");
        var updated = await ActionsAsync("UpdateAlert", update);
        await ActionsAsync("Close", new ActionSignalRequest { ActionId = id });
        var refused = await Assert.ThrowsAsync<RpcException>(() => ActionsAsync("UpdateAlert", new UpdateAlertRequest { ActionId = id, Content = "late" }));
        var invalid = await Assert.ThrowsAsync<RpcException>(() => ActionsAsync("UpdateAlert", new UpdateAlertRequest { ActionId = id, Level = 9 }));

        Assert.Equal(("cpu 99%", 3, 9, "h9"), (updated.Alert.Content, updated.Alert.Level, updated.Alert.EventCount, updated.Alert.Dimensions["host"]));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 10, 0, TimeSpan.Zero), updated.Alert.LatestAnomalyTime.ToDateTimeOffset());
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("level: ", invalid.Status.Detail);
    }

    [Fact]
    public async Task CreateAction_Invalid_InvalidArgumentWithEveryFieldInTheTrailer()
    {
        var request = Request(Unique("grpc-bad"), "ops");
        request.NotifyConfig.UserGroups.Clear();
        request.NotifyConfig.Steps["abnormal"].Ways.Add("fax");
        request.ExecuteConfig.NotifyInterval = -1;
        request.ExecuteConfig.IntervalNotifyMode = (IntervalNotifyMode)9;
        request.Alert.Level = 0;

        var refused = await Assert.ThrowsAsync<RpcException>(() => ActionsAsync("CreateAction", request));
        var notFound = await Assert.ThrowsAsync<RpcException>(() => ActionsAsync("GetAction", new GetActionRequest { ActionId = request.ActionId }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var trailer = refused.Trailers.GetValueBytes("notify-field-errors-bin");
        Assert.NotNull(trailer);
        Assert.Equal(
            ["alert.level", "executeConfig.intervalNotifyMode", "executeConfig.notifyInterval", "notifyConfig.steps.abnormal[2]", "notifyConfig.userGroups"],
            FieldErrors.Parser.ParseFrom(trailer).Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task CreateAction_UnknownStepKey_InvalidArgument()
    {
        var request = Request(Unique("grpc-step"), "ops");
        request.NotifyConfig.Steps.Add("later", new NoticeWays { Ways = { "mail" } });

        var refused = await Assert.ThrowsAsync<RpcException>(() => ActionsAsync("CreateAction", request));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("notifyConfig.steps.later: unknown step 'later'", refused.Status.Detail);
    }

    [Fact]
    public async Task CreateAction_SameIdDifferentBody_FailedPrecondition()
    {
        var (id, group) = (Unique("grpc-idem"), Unique("ops"));
        await PutGroupAsync(Http, group, Unique("hal"));
        var first = await ActionsAsync("CreateAction", Request(id, group));

        var again = await ActionsAsync("CreateAction", Request(id, group));
        var different = Request(id, group);
        different.Alert.Name = "Disk full";
        var refused = await Assert.ThrowsAsync<RpcException>(() => ActionsAsync("CreateAction", different));

        Assert.Equal(first.CreatedAt, again.CreatedAt);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("actionId: ", refused.Status.Detail);
        await Eventually.WaitAsync(() => ActionsAsync("GetAction", new GetActionRequest { ActionId = id }), a => a.Status == ActionStatus.Sleep, TimeSpan.FromSeconds(20), a => $"{a.Status}");
        await ActionsAsync("Close", new ActionSignalRequest { ActionId = id });
    }

    [Theory]
    [InlineData("GetAction")]
    [InlineData("Ack")]
    [InlineData("Recover")]
    [InlineData("Close")]
    [InlineData("Shield")]
    [InlineData("Unshield")]
    public async Task UnknownId_NotFound(string method)
    {
        var id = Unique("grpc-nowhere");
        var refused = await Assert.ThrowsAsync<RpcException>(() => method == "GetAction"
            ? ActionsAsync(method, new GetActionRequest { ActionId = id })
            : ActionsAsync(method, new ActionSignalRequest { ActionId = id }));

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.StartsWith("actionId: ", refused.Status.Detail);
    }

    [Fact]
    public async Task UserGroups_PutGetDelete_RoundTripsAndMissingIsNotFound()
    {
        var group = Unique("grpc-team");
        var put = new PutUserGroupRequest { GroupId = group, Name = "Team", Members = { "ivy", "jon", "IVY" } };

        var stored = await AdminAsync<PutUserGroupRequest, UserGroup>("PutUserGroup", put);
        var got = await AdminAsync<GetUserGroupRequest, UserGroup>("GetUserGroup", new GetUserGroupRequest { GroupId = group });
        var deleted = await AdminAsync<DeleteUserGroupRequest, DeleteUserGroupResponse>("DeleteUserGroup", new DeleteUserGroupRequest { GroupId = group });
        var gone = await Assert.ThrowsAsync<RpcException>(() => AdminAsync<GetUserGroupRequest, UserGroup>("GetUserGroup", new GetUserGroupRequest { GroupId = group }));
        var invalid = await Assert.ThrowsAsync<RpcException>(() => AdminAsync<PutUserGroupRequest, UserGroup>("PutUserGroup", new PutUserGroupRequest { GroupId = group, Name = "Team" }));

        Assert.Equal(["ivy", "jon"], stored.Members);
        Assert.Equal(stored, got);
        Assert.True(deleted.Deleted);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("members: must list at least one username", invalid.Status.Detail);
    }

    [Fact]
    public async Task ReflectionAndHealth_ActionService_ListedAndServing()
    {
        var health = new Health.HealthClient(Host.Grpc);
        var reflection = new ServerReflection.ServerReflectionClient(Host.Grpc);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();

        var response = await health.CheckAsync(new HealthCheckRequest { Service = ActionService.Descriptor.FullName }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Contains("notify.v1.ActionService", call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    /// <summary>DESIGN.md's example as a gRPC request (one hour, increasing), with the optional fields left unset.</summary>
    private static CreateActionRequest Request(string actionId, string group) => new()
    {
        ActionId = actionId,
        Alert = new ActionAlert
        {
            Id = "alert-" + actionId,
            Name = "CPU high",
            Content = "cpu 95%",
            Dimensions = { ["host"] = "h1" },
            BeginTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero)),
        },
        NotifyConfig = new ActionNotifyConfig
        {
            UserGroups = { group },
            Steps = { ["abnormal"] = new NoticeWays { Ways = { "mail", "rtx" } }, ["ack"] = new NoticeWays { Ways = { "mail" } } },
        },
        ExecuteConfig = new ActionExecuteConfig
        {
            NotifyInterval = 3600,
            IntervalNotifyMode = IntervalNotifyMode.Increasing,
            FailedRetry = new FailedRetryConfig { IsEnabled = true, MaxRetryTimes = 2, Timeout = 600 },
        },
    };

    [Fact]
    public async Task PutUserGroup_RulesAndDuty_RoundTripAndBadTimesAreRefusedByField()
    {
        var group = Unique("grpc-ruled");
        var rule = new GroupNoticeRule { Level = 2, TimeRanges = { "09:00--18:00" } };
        rule.Steps.Add("abnormal", new NoticeWays { Ways = { "mail" } });
        var put = new PutUserGroupRequest
        {
            GroupId = group,
            Name = "Ops",
            TimeZone = "Asia/Shanghai",
            NoticeRules = { rule },
            Duty = new DutyRotation { Shifts = { new DutyShift { Members = { "ann" } }, new DutyShift { Members = { "ben" } } }, HandOverTimes = { "09:00" }, StartDate = "2026-11-23" },
        };

        var stored = await AdminAsync<PutUserGroupRequest, UserGroup>("PutUserGroup", put);
        put.Duty.HandOverTimes[0] = "nine";
        var invalid = await Assert.ThrowsAsync<RpcException>(() => AdminAsync<PutUserGroupRequest, UserGroup>("PutUserGroup", put));

        Assert.Equal("Asia/Shanghai", stored.TimeZone);
        Assert.Equal(["mail"], stored.NoticeRules.Single().Steps["abnormal"].Ways);
        Assert.Equal((1, "2026-11-23", "09:00"), (stored.Duty.ShiftDays, stored.Duty.StartDate, stored.Duty.HandOverTimes.Single()));
        Assert.Equal(["ben"], stored.Duty.Shifts[1].Members);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("duty.handOverTimes[0]: ", invalid.Status.Detail);
    }
}
