using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;
using Notify.Grains.Channels;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Host;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Hosting;
using Npgsql;
using Orleans.Serialization;

namespace Notify.IntegrationTests.Actions;

/// <summary>
/// Action instances on the Postgres profile across a restart: the real host in-process, stopped while an instance sleeps
/// and started again on the same database and cluster ids. The instance's state comes back from the grain storage and its
/// wake-up from the reminder table, so the repeats continue on the stored schedule.
/// </summary>
public sealed class ActionPostgresRestartTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_WhileSleeping_StateRoundTripsAndTheNextNoticeArrivesOnSchedule()
    {
        var database = await postgres.CreateDatabaseAsync("action_restart", Ct);
        const string cluster = "action-restart";
        const string id = "restart-on-time";
        string viewBeforeStop;
        DateTimeOffset due;
        await using (var first = await ActionHost.StartAsync(database, cluster))
        {
            await first.PutGroupAsync("ops", "alice");
            // 30 s leaves a restart room on a loaded machine (one under a load average of 45 took 14 s to start again).
            Assert.Equal(HttpStatusCode.OK, (await first.CreateAsync(id, notifyInterval: 30)).StatusCode);
            var sleeping = await first.WaitForAsync(id, a => a.Status == ActionStatus.Sleep, "sleep after the first notice");
            due = sleeping.NextNotifyTime!.Value;
            viewBeforeStop = (await first.GetRawAsync(id)).Body.GetRawText();
            Assert.Equal(sleeping.Runs[0].StartedAt.AddSeconds(30), due);
            Assert.Equal([$"action:{id}/abnormal/1/mail"], first.Transport.Deliveries.Select(d => d.Message.Reference));
        }

        // With no silo running, the row in OrleansStorage is the whole instance: Orleans' binary serializer reads it back as written.
        var stored = await ReadStoredStateAsync(database, cluster);
        var expected = JsonDocument.Parse(viewBeforeStop).RootElement.GetProperty("data");
        Assert.Equal(ActionStatus.Sleep, stored.Status);
        Assert.Equal(1, stored.ExecuteTimes);
        Assert.Equal(expected.GetProperty("runs")[0].GetProperty("startedAt").GetDateTimeOffset(), stored.LastNotifyTime);
        Assert.Equal(due, ActionPlanner.NextNotifyTime(stored));
        Assert.Equal(NoticeWayStatus.Sent, stored.Runs.Single().Ways.Single().Status);

        await using var second = await ActionHost.StartAsync(database, cluster);
        var ready = DateTimeOffset.UtcNow;
        Assert.True(ready < due - TimeSpan.FromSeconds(1), $"the host took until {ready:O} to start, past the repeat due at {due:O}; the test needs a shorter restart");
        var viewAfterRestart = (await second.GetRawAsync(id)).Body.GetRawText();
        var repeated = await second.WaitForAsync(id, a => a.Runs.Count == 2 && a.Runs[1].Outcome is not null, "send the first repeat", TimeSpan.FromSeconds(60));
        await second.Client.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(id)).CloseAsync();

        var run = repeated.Runs[1];
        TestContext.Current.TestOutputHelper?.WriteLine($"restarted {(due - ready).TotalSeconds:F1} s before the repeat was due; it started {(run.StartedAt - due).TotalMilliseconds:F0} ms after");
        Assert.Equal(viewBeforeStop, viewAfterRestart);
        Assert.Equal((2, ActionStatus.Success), (run.ExecuteTimes, run.Outcome));
        // Never early; late only by the machine's scheduling (a missed reminder would be minutes late, via recovery).
        Assert.InRange((run.StartedAt - due).TotalSeconds, 0, 10);
        Assert.Equal([$"action:{id}/abnormal/2/mail"], second.Transport.Deliveries.Select(d => d.Message.Reference));
        // Increasing mode continues from the stored executeTimes: the next gap is 30 × 2^(2−1) seconds.
        Assert.Equal(run.StartedAt.AddSeconds(60), repeated.NextNotifyTime);
    }

    [Fact]
    public async Task Restart_DownForSeveralIntervals_MissedRepeatFiresOnceAndTheScheduleContinuesFromIt()
    {
        var database = await postgres.CreateDatabaseAsync("action_missed", Ct);
        const string cluster = "action-missed";
        const string id = "restart-missed";
        DateTimeOffset due;
        await using (var first = await ActionHost.StartAsync(database, cluster))
        {
            await first.PutGroupAsync("ops", "bob");
            Assert.Equal(HttpStatusCode.OK, (await first.CreateAsync(id, notifyInterval: 2)).StatusCode);
            var afterTwo = await first.WaitForAsync(id, a => a.ExecuteTimes == 2 && a.Status == ActionStatus.Sleep, "sleep after the second notice");
            due = afterTwo.NextNotifyTime!.Value;
            Assert.Equal(afterTwo.Runs[1].StartedAt.AddSeconds(4), due);
        }

        // Down until runs 3 (due) and 4 (due + 8 s, had 3 run on time) are both overdue.
        var missedUntil = due.AddSeconds(8 + 1);
        await Task.Delay(Max(TimeSpan.Zero, missedUntil - DateTimeOffset.UtcNow), Ct);

        var starting = DateTimeOffset.UtcNow;
        await using var second = await ActionHost.StartAsync(database, cluster);
        var ready = DateTimeOffset.UtcNow;
        // Nothing calls the instance until its notice is out: only the reminder stored in PostgreSQL can wake it.
        await second.Transport.WaitForSendsAsync(1, TimeSpan.FromSeconds(30));
        var resumed = await second.WaitForAsync(id, a => a.Runs.Count == 3 && a.Runs[2].Outcome is not null, "record the missed repeat");
        var next = await second.WaitForAsync(id, a => a.Runs.Count >= 4 && a.Runs[3].Outcome is not null, "send the repeat after it", TimeSpan.FromSeconds(30));
        await second.Client.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(id)).CloseAsync();

        var missed = resumed.Runs[2];
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"down {(starting - due).TotalSeconds:F1} s past the due repeat; it ran {(missed.StartedAt - ready).TotalSeconds:F1} s after the host was ready, the next {(next.Runs[3].StartedAt - missed.StartedAt).TotalSeconds:F2} s after it");
        Assert.Equal((3, ActionStatus.Success), (missed.ExecuteTimes, missed.Outcome));
        Assert.True(missed.StartedAt >= starting, $"run 3 started at {missed.StartedAt:O}, before the new host did ({starting:O})");
        Assert.True(missed.StartedAt - ready <= TimeSpan.FromSeconds(10), $"run 3 started {(missed.StartedAt - ready).TotalSeconds:F1} s after the new host was ready");
        // One late run for everything missed, then the doubled interval counts from that late start.
        Assert.Equal(missed.StartedAt.AddSeconds(8), resumed.NextNotifyTime);
        var following = next.Runs[3];
        Assert.Equal(4, following.ExecuteTimes);
        // Not before the doubled interval (8 s); well before the next doubling (16 s) even when the machine is busy.
        Assert.InRange((following.StartedAt - missed.StartedAt).TotalSeconds, 8, 15);
        Assert.Equal(4, next.Runs.Count);
        Assert.Equal(
            [$"action:{id}/abnormal/3/mail", $"action:{id}/abnormal/4/mail"],
            second.Transport.Deliveries.Select(d => d.Message.Reference));
    }

    [Fact]
    public async Task FinishedRetention_PastTheWindowTheRowIsDeletedAndTheIdAnswers404_BeforeItKept()
    {
        var database = await postgres.CreateDatabaseAsync("action_purge", Ct);
        const string cluster = "action-purge";
        using var clock = new RunningFakeClock(DateTimeOffset.UtcNow);
        await using var host = await ActionHost.StartAsync(database, cluster, clock);
        await host.PutGroupAsync("ops", "alice");
        var grains = host.Client;
        IActionInstanceGrain Action(string id) => grains.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(id));
        await Action("pg-purge-old").CreateAsync(ActionRequests.For("pg-purge-old", "ops"));
        await host.WaitForAsync("pg-purge-old", a => a.Status.IsEnd(), "finish");
        clock.Advance(TimeSpan.FromDays(20));
        await Action("pg-purge-new").CreateAsync(ActionRequests.For("pg-purge-new", "ops"));
        await host.WaitForAsync("pg-purge-new", a => a.Status.IsEnd(), "finish");
        Assert.Equal(2, await CountStoredStatesAsync(database, cluster));

        clock.Advance(TimeSpan.FromDays(11));

        Assert.Equal(HttpStatusCode.NotFound, (await host.GetRawAsync("pg-purge-old")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.GetRawAsync("pg-purge-new")).StatusCode);
        Assert.Equal(1, await CountStoredStatesAsync(database, cluster));
        Assert.Equal(["pg-purge-new"], (await ActionListing.ListAsync(grains, new ActionListQuery { PageSize = 100 })).Items.Select(e => e.ActionId));
    }

    private static async Task<long> CountStoredStatesAsync(string database, string serviceId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "select count(*) from orleansstorage where serviceid = @service and graintypestring = 'action-instance'", connection);
        command.Parameters.AddWithValue("service", serviceId);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The instance's row in OrleansStorage, deserialized with Orleans' binary serializer as the storage provider does.</summary>
    private static async Task<ActionInstanceState> ReadStoredStateAsync(string database, string serviceId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "select payloadbinary from orleansstorage where serviceid = @service and graintypestring = 'action-instance'", connection);
        command.Parameters.AddWithValue("service", serviceId);
        var payloads = new List<byte[]>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                payloads.Add(reader.GetFieldValue<byte[]>(0));
            }
        }

        await using var services = new ServiceCollection()
            .AddSerializer(serializer => serializer.AddAssembly(typeof(ActionInstanceState).Assembly))
            .BuildServiceProvider();
        var state = services.GetRequiredService<Serializer>().Deserialize<ActionInstanceState>(Assert.Single(payloads));
        Assert.NotNull(state);
        return state;
    }

    /// <summary>The real host on the Postgres profile with a scripted e-mail transport, REST on a free port.</summary>
    private sealed class ActionHost : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _outboxPath;

        private ActionHost(WebApplication app, ScriptedTransport transport, int httpPort, string outboxPath)
        {
            _app = app;
            _outboxPath = outboxPath;
            Transport = transport;
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public ScriptedTransport Transport { get; }

        public HttpClient Http { get; }

        public IClusterClient Client => _app.Services.GetRequiredService<IClusterClient>();

        public static async Task<ActionHost> StartAsync(string connectionString, string cluster, TimeProvider? time = null)
        {
            var ports = HostPorts.Free();
            var transport = new ScriptedTransport(NotifyChannel.Email);
            var outboxPath = Path.Combine(Path.GetTempPath(), "notify-outbox-" + Guid.NewGuid().ToString("N"));
            var app = NotifyHost.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Notify:Profile"] = "Postgres",
                    ["ConnectionStrings:Notify"] = connectionString,
                    ["Orleans:ClusterId"] = cluster,
                    ["Orleans:ServiceId"] = cluster,
                    ["Silo:SiloPort"] = ports.Silo.ToString(),
                    ["Silo:GatewayPort"] = ports.OrleansGateway.ToString(),
                    ["Gateway:HttpPort"] = ports.Http.ToString(),
                    ["Gateway:GrpcPort"] = ports.Grpc.ToString(),
                    ["Notify:Reminders:MinimumPeriod"] = "00:00:01",
                    ["Notify:Actions:MinNotifyIntervalSeconds"] = "1",
                    ["Notify:Outbox:Path"] = outboxPath,
                });
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddSingleton<IChannelTransport>(transport);
                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }
            });
            await app.StartAsync();
            return new ActionHost(app, transport, ports.Http, outboxPath);
        }

        /// <summary>A group whose members have e-mail addresses, through the REST admin paths.</summary>
        public async Task PutGroupAsync(string group, params string[] members)
        {
            foreach (var member in members)
            {
                Assert.Equal(HttpStatusCode.OK, (await Http.PutJsonAsync($"/op/notify/contacts/{member}", $$"""{"email":"{{member}}@example.com"}""")).StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await Http.PutJsonAsync($"/op/notify/usergroups/{group}", JsonSerializer.Serialize(new { name = group, members }))).StatusCode);
        }

        /// <summary>An increasing-interval instance that notifies group <c>ops</c> by mail.</summary>
        public Task<RestResponse> CreateAsync(string actionId, int notifyInterval) => Http.PostJsonAsync("/service/actions", $$$"""
            {"actionId":"{{{actionId}}}",
             "alert":{"id":"alert-{{{actionId}}}","name":"CPU high","level":1,"content":"cpu 95%","beginTime":"2026-11-23T00:00:00Z"},
             "notifyConfig":{"userGroups":["ops"],"steps":{"abnormal":["mail"]}},
             "executeConfig":{"needPoll":true,"notifyInterval":{{{notifyInterval}}},"intervalNotifyMode":"increasing"}}
            """);

        public Task<RestResponse> GetRawAsync(string actionId) => Http.GetJsonAsync($"/service/actions/{actionId}");

        public async Task<ActionInstanceView> WaitForAsync(string actionId, Func<ActionInstanceView, bool> done, string what, TimeSpan? timeout = null) =>
            (await Eventually.WaitAsync(
                () => Client.GetGrain<IActionInstanceGrain>(ActionKeys.Instance(actionId)).GetAsync(),
                v => v is not null && done(v),
                timeout ?? TimeSpan.FromSeconds(20),
                v => $"action {actionId} to {what}; it is {v?.Status.WireName() ?? "missing"} after {v?.Runs.Count ?? 0} run(s)"))!;

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            if (Directory.Exists(_outboxPath))
            {
                Directory.Delete(_outboxPath, recursive: true);
            }
        }
    }
}
