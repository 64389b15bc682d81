using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Grpc.Core;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Npgsql;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// The one PostgreSQL every silo shares goes down under load and comes back (a crash-safe server of the test's own,
/// stopped as a crash would stop it). While it is down, both gateways refuse sends with 503 / UNAVAILABLE at once and
/// accept nothing they could not store; the silos stay members and running; once it is back the cluster takes sends
/// again without a restart, and every message accepted before, including those whose outcome write failed during
/// the outage, ends final and delivered once. And when PostgreSQL is not refused but unreachable (a partition, through
/// <see cref="TcpProxy"/>), a send is refused within a bound the Npgsql timeouts set.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed partial class PostgresOutageTests(PostgresServer sharedPostgres)
{
    /// <summary>Npgsql's connect timeout and command timeout (seconds) the silos run with, as recommended in docs/cluster.md.</summary>
    public const int ConnectTimeoutSeconds = 3;

    public const int CommandTimeoutSeconds = 5;

    private const int LoadMessages = 300;
    private const int DelaySeconds = 4;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(12);

    // Measured with Npgsql against a partition (TcpProxy.Cut): a statement on a connection that was open when the
    // network went fails after Command Timeout + 2 × Timeout; one that needs a new connection after Timeout. A send
    // meets at most one hung pooled connection and then opens new ones (the failed one is discarded), so: Command
    // Timeout + 3 × Timeout, plus 2 s for a loaded machine.
    private static readonly TimeSpan UnreachableBound = TimeSpan.FromSeconds(CommandTimeoutSeconds + 3 * ConnectTimeoutSeconds + 2);

    // With the server down, connections are refused at once and a send is refused in milliseconds; allow the
    // unreachable bound anyway, since a loaded machine may take seconds. (Declared after it: static fields initialise in order.)
    private static readonly TimeSpan RefusalBound = UnreachableBound;

    // Once the hung connections are gone every statement fails after Timeout: two statements (key, record) at most,
    // plus 4 s for a loaded machine (7.6 s was seen with a build running alongside); a hang would take the 30 s call timeout.
    private static readonly TimeSpan UnreachableLaterBound = TimeSpan.FromSeconds(2 * ConnectTimeoutSeconds + 4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>The connection string of <paramref name="database"/> with the timeouts this test runs the silos with.</summary>
    public static string WithTimeouts(string database) =>
        new NpgsqlConnectionStringBuilder(database) { Timeout = ConnectTimeoutSeconds, CommandTimeout = CommandTimeoutSeconds }.ConnectionString;

    [Fact]
    public async Task StopPostgres_UnderLoad_GatewaysRefuseWith503ThenClusterRecoversWithoutRestartAndLosesNothing()
    {
        await using var smtp = SmtpTestServer.Start();
        // A slow server (20 ms per reply) keeps deliveries on the wire when the database goes, so outcome writes fail.
        smtp.Faults.ReplyDelay = TimeSpan.FromMilliseconds(20);
        await using var postgres = await PostgresServer.StartLocalAsync(crashSafe: true);
        var database = WithTimeouts(await postgres.CreateDatabaseAsync("outage", Ct));
        await using var cluster = await SiloProcessCluster.StartAsync(database, 2, ClusterSettings.EmailTo(smtp), Ct);
        var client = await cluster.ConnectClientAsync(Ct);
        using var restGateway = new SiloGateway(cluster.Silos[0]);
        using var grpcGateway = new SiloGateway(cluster.Silos[1]);
        Assert.Equal(HttpStatusCode.OK, (await restGateway.PutContactAsync("alice", "alice@example.com")).Response.StatusCode);

        // Load with request ids, as a careful caller sends: immediate, delayed (due during the outage), and to a
        // username with a frequency limit (contact and frequency-limit grains in the pipeline).
        var submitter = new ResilientSubmitter(client, givingUpAfter: TimeSpan.FromSeconds(120));
        var load = submitter.SubmitManyAsync(LoadMessages, 8, i => ($"load-{i}", (i % 10) switch
        {
            0 => ClusterSettings.Email("alice", $"alice {i}") with { FrequencyLimitMinutes = 5 },
            3 => ClusterSettings.Email($"delayed{i}@example.com", $"delayed {i}", DelaySeconds),
            _ => ClusterSettings.Email($"user{i}@example.com", $"load {i}"),
        }), Ct);
        while (submitter.AcceptedCount < LoadMessages / 2 && !load.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }

        var membersBefore = await ClusterTables.MembersAsync(database, cluster.ClusterId, Ct);
        var acceptedBeforeOutage = submitter.AcceptedCount;
        var deliveredBeforeOutage = smtp.Messages.Count;
        await postgres.StopAsync();
        var outage = Stopwatch.StartNew();
        var stoppedAt = DateTimeOffset.UtcNow;

        // While it is down: every kind of send through both gateways, a contact write and readiness, several times.
        var refusals = new List<Refusal>();
        var refusedReceivers = new List<string>();
        for (var round = 0; outage.Elapsed < Outage; round++)
        {
            var rest = await restGateway.SendEmailRestAsync($"out-rest{round}@example.com", $"outage rest {round}");
            var restKeyed = await restGateway.SendEmailRestAsync($"out-restkey{round}@example.com", $"outage rest keyed {round}", $"outage-rest-{round}");
            var grpc = await grpcGateway.SendEmailGrpcAsync($"out-grpc{round}@example.com", $"outage grpc {round}");
            var grpcKeyed = await grpcGateway.SendEmailGrpcAsync($"out-grpckey{round}@example.com", $"outage grpc keyed {round}", $"outage-grpc-{round}");
            var contact = await grpcGateway.PutContactAsync("alice", $"alice.new{round}@example.com");
            refusals.Add(Refusal.Of("REST send", outage.Elapsed, rest.Response, rest.Took));
            refusals.Add(Refusal.Of("REST send with Idempotency-Key", outage.Elapsed, restKeyed.Response, restKeyed.Took));
            refusals.Add(Refusal.Of("gRPC SendEmail", outage.Elapsed, grpc.MessageId, grpc.Refusal, grpc.Took));
            refusals.Add(Refusal.Of("gRPC SendEmail with request_id", outage.Elapsed, grpcKeyed.MessageId, grpcKeyed.Refusal, grpcKeyed.Took));
            refusals.Add(Refusal.Of("REST contact PUT", outage.Elapsed, contact.Response, contact.Took));
            refusedReceivers.AddRange([$"out-rest{round}@example.com", $"out-restkey{round}@example.com", $"out-grpc{round}@example.com", $"out-grpckey{round}@example.com"]);
            var readiness = new[] { await restGateway.ReadinessAsync(), await grpcGateway.ReadinessAsync() };
            Assert.Equal([503, 503], readiness);
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        }

        var deliveredDuringOutage = smtp.Messages.Count - deliveredBeforeOutage;
        var silosRunningAtTheEnd = cluster.Silos.Count(s => !s.HasExited);
        // PostgreSQL takes connections before StartAsync returns (by a second or more on a busy machine): "after the
        // outage" begins when the restart does.
        var restartingAt = DateTimeOffset.UtcNow;
        await postgres.StartAsync();
        var restored = Stopwatch.StartNew();
        var restoredAt = DateTimeOffset.UtcNow;

        // Back: both gateways take sends again, without any silo restarted.
        var firstAccepted = await Eventually.WaitAsync(
            async () => (await restGateway.SendEmailRestAsync("after-rest@example.com", "after rest", "after-rest"),
                await grpcGateway.SendEmailGrpcAsync("after-grpc@example.com", "after grpc", "after-grpc")),
            sends => sends.Item1.Response.StatusCode == HttpStatusCode.OK && sends.Item2.MessageId is not null,
            TimeSpan.FromSeconds(60),
            sends => $"after the restart: REST {sends.Item1.Response}, gRPC {sends.Item2.Refusal}\n{cluster.Tails()}");
        var acceptingAfter = restored.Elapsed;
        var (retriedKeyed, _) = await restGateway.SendEmailRestAsync("out-restkey0@example.com", "outage rest keyed 0", "outage-rest-0");

        await load;
        var accepted = submitter.Accepted.Values.Concat([firstAccepted.Item1.Response.Body.GetProperty("messageId").GetString()!, firstAccepted.Item2.MessageId!]).ToHashSet();
        var records = await MessageRows.WaitUntilFinalAsync(database, accepted, TimeSpan.FromSeconds(90), cluster.Tails, Ct);
        var finishedAfter = restored.Elapsed;
        var deliveries = SmtpDeliveries.CountByMessageId(smtp);
        var membersAfter = await ClusterTables.MembersAsync(database, cluster.ClusterId, Ct);

        // Messages whose outcome (or next journal entry) the silo failed to write during the outage, as the silos logged them.
        var failedWrites = cluster.Silos.SelectMany(s => FailedWrite().Matches(s.Output()).Select(m => m.Groups[1].Value)).ToHashSet();
        var failedWritesOfAccepted = failedWrites.Where(accepted.Contains).ToList();
        var delayed = records.Values.Where(r => accepted.Contains(r.Id) && r.Message.DelaySeconds > 0).ToList();
        var dueDuringOutage = delayed.Where(r => r.CreatedAt.AddSeconds(DelaySeconds) is var due && due > stoppedAt && due < restartingAt).ToList();
        var lost = accepted.Where(id => records[id].Status != MessageStatus.Sent || !deliveries.ContainsKey(id)).ToList();
        var duplicated = deliveries.Where(d => d.Value > 1).Select(d => d.Key).ToList();
        var refusedButRecorded = records.Values.Where(r => r.Receivers.Any(o => refusedReceivers.Contains(o.Receiver)) && r.Id != retriedKeyed.Body.GetProperty("messageId").GetString()).ToList();

        Report($"accepted {acceptedBeforeOutage} of {LoadMessages} before the stop, {deliveredBeforeOutage} e-mails received; outage {outage.Elapsed.TotalSeconds:F1} s; {deliveredDuringOutage} e-mails went out during it (their outcome writes failed)");
        foreach (var group in refusals.GroupBy(r => r.Call))
        {
            Report($"  {group.Key}: {string.Join(", ", group.Select(r => r.Describe()))}");
        }

        Report($"silos running at the end of the outage: {silosRunningAtTheEnd} of {cluster.Silos.Count}; membership before {Describe(membersBefore)}, after {Describe(membersAfter)}");
        Report($"after the restart: both gateways accepting after {acceptingAfter.TotalSeconds:F1} s; all {accepted.Count} accepted messages final after {finishedAfter.TotalSeconds:F1} s; submit retries during the outage {submitter.Retries}");
        Report($"failed writes logged for {failedWritesOfAccepted.Count} accepted messages; delivered {deliveries.Count} distinct in {deliveries.Values.Sum()} e-mails; lost {lost.Count}; duplicates {duplicated.Count}; flagged {records.Values.Count(r => r.PossibleDuplicate)}");
        Report($"delayed messages due during the outage: {dueDuringOutage.Count}, sent {dueDuringOutage.Select(r => (r.CompletedAt!.Value - restoredAt).TotalSeconds).DefaultIfEmpty().Max():F1} s after the restart at the latest");

        // During the outage: refused, fast, with a clear reason, never a 200; nothing refused was recorded.
        Assert.All(refusals, r => Assert.True(r.Refused, $"{r.Call} at {r.At.TotalSeconds:F1} s into the outage was answered {r.Answer}"));
        Assert.All(refusals, r => Assert.True(r.Took < RefusalBound, $"{r.Call} took {r.Took.TotalSeconds:F1} s"));
        Assert.All(refusals, r => Assert.Contains("store", r.Answer, StringComparison.Ordinal));
        Assert.Empty(refusedButRecorded);

        // The cluster held together: no silo exited, none was declared dead, none rejoined as a new generation.
        Assert.Equal(cluster.Silos.Count, silosRunningAtTheEnd);
        Assert.All(cluster.Silos, s => Assert.False(s.HasExited, $"{s.Name} exited\n{s.Tail()}"));
        Assert.Equal(Describe(membersBefore), Describe(membersAfter));
        Assert.All(membersAfter, m => Assert.Equal((int)SiloStatus.Active, m.Status));

        // Recovered without a restart: a key refused during the outage is a new message now; nothing accepted was lost.
        Assert.Equal(HttpStatusCode.OK, retriedKeyed.StatusCode);
        Assert.Empty(submitter.GaveUp);
        Assert.True(deliveredDuringOutage > 0, "no e-mail went out during the outage, so no outcome write could fail");
        Assert.NotEmpty(failedWritesOfAccepted);
        Assert.True(lost.Count == 0, $"not sent or not received: {string.Join(", ", lost.Take(10).Select(id => $"{id} {records[id].Status} {records[id].LastError}"))}");
        Assert.Empty(duplicated);
        Assert.All(failedWritesOfAccepted, id => Assert.Equal(1, deliveries[id]));
        Assert.All(delayed, r => Assert.True(r.CompletedAt >= r.CreatedAt.AddSeconds(DelaySeconds)));
        Assert.NotEmpty(dueDuringOutage);
        Assert.All(dueDuringOutage, r => Assert.True(r.CompletedAt >= restartingAt, $"{r.Id} was due during the outage and completed at {r.CompletedAt:O}, before PostgreSQL was restarted at {restartingAt:O}"));
        Assert.Contains(smtp.Messages, m => m.EnvelopeRecipients.Contains("alice@example.com"));
    }

    [Fact]
    public async Task Send_PostgresUnreachableWithoutRefusal_RefusedWithinTheNpgsqlTimeouts()
    {
        var database = WithTimeouts(await sharedPostgres.CreateDatabaseAsync("unreachable", Ct));
        var server = new NpgsqlConnectionStringBuilder(database);
        await using var proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Parse(server.Host!), server.Port));
        var (httpPort, grpcPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        await using var silo = await InProcessSilo.StartAsync(proxy.Redirect(database), "unreachable-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string?>
        {
            ["Gateway:HttpPort"] = httpPort.ToString(),
            ["Gateway:GrpcPort"] = grpcPort.ToString(),
        });
        using var gateway = new SiloGateway(IPAddress.Loopback, httpPort, grpcPort);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendEmailRestAsync("warm@example.com", "warm", "warm-rest")).Response.StatusCode);
        Assert.NotNull((await gateway.SendEmailGrpcAsync("warm@example.com", "warm", "warm-grpc")).MessageId);

        // The network to PostgreSQL drops everything: pooled connections hang, new ones are never answered. Two rounds
        // of the four kinds of send: the first meets the pooled connections, the second only new ones.
        proxy.Cut();
        var first = await SendEachKindAsync(gateway, "first");
        var later = await SendEachKindAsync(gateway, "later");

        proxy.Restore();
        var back = Stopwatch.StartNew();
        await Eventually.WaitAsync(
            () => gateway.SendEmailRestAsync("back@example.com", "back", "back"),
            sent => sent.Response.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            sent => $"after the partition healed: {sent.Response}");

        Report($"Timeout={ConnectTimeoutSeconds};Command Timeout={CommandTimeoutSeconds}; first round: {string.Join("; ", first.Select(s => $"{s.Call} {s.Describe()}"))}");
        Report($"  later round: {string.Join("; ", later.Select(s => $"{s.Call} {s.Describe()}"))}; accepting again {back.Elapsed.TotalSeconds:F1} s after the partition healed");
        Assert.All(first.Concat(later), s => Assert.True(s.Refused, $"{s.Call} while PostgreSQL was unreachable was answered {s.Answer}"));
        Assert.All(first, s => Assert.True(s.Took < UnreachableBound, $"{s.Call} took {s.Took.TotalSeconds:F1} s, more than {UnreachableBound.TotalSeconds} s"));
        Assert.All(later, s => Assert.True(s.Took < UnreachableLaterBound, $"{s.Call} took {s.Took.TotalSeconds:F1} s, more than {UnreachableLaterBound.TotalSeconds} s"));
    }

    /// <summary>A REST and a gRPC send, each with and without a request id, all at once; each answer timed.</summary>
    private static async Task<Refusal[]> SendEachKindAsync(SiloGateway gateway, string round)
    {
        return await Task.WhenAll(
            Timed("REST send", async () => Refusal.Of("", TimeSpan.Zero, (await gateway.SendEmailRestAsync($"{round}-rest@example.com", round)).Response, TimeSpan.Zero)),
            Timed("REST send with Idempotency-Key", async () => Refusal.Of("", TimeSpan.Zero, (await gateway.SendEmailRestAsync($"{round}-restkey@example.com", round, $"{round}-rest")).Response, TimeSpan.Zero)),
            Timed("gRPC SendEmail", async () => Grpc(await gateway.SendEmailGrpcAsync($"{round}-grpc@example.com", round))),
            Timed("gRPC SendEmail with request_id", async () => Grpc(await gateway.SendEmailGrpcAsync($"{round}-grpckey@example.com", round, $"{round}-grpc"))));

        static Refusal Grpc((string? MessageId, Status? Refusal, TimeSpan Took) sent) => Refusal.Of("", TimeSpan.Zero, sent.MessageId, sent.Refusal, TimeSpan.Zero);

        static async Task<Refusal> Timed(string call, Func<Task<Refusal>> send)
        {
            var started = Stopwatch.GetTimestamp();
            var refusal = await send();
            return refusal with { Call = call, Took = Stopwatch.GetElapsedTime(started) };
        }
    }

    private static string Describe(IEnumerable<ClusterTables.Member> members) =>
        string.Join(", ", members.OrderBy(m => m.Address.Endpoint.Port).Select(m => $"{m.Address} {(SiloStatus)m.Status}"));

    [GeneratedRegex(@"Message (msg_[0-9a-f]+): the record store is unavailable; will retry the write")]
    private static partial Regex FailedWrite();

    /// <summary>What one call during the outage was answered, and how fast.</summary>
    private sealed record Refusal(string Call, TimeSpan At, bool Refused, string Answer, TimeSpan Took)
    {
        public static Refusal Of(string call, TimeSpan at, Infrastructure.Host.RestResponse response, TimeSpan took) =>
            new(call, at, response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {response.Message}", took);

        public static Refusal Of(string call, TimeSpan at, string? messageId, Status? status, TimeSpan took) =>
            new(call, at, messageId is null && status?.StatusCode == StatusCode.Unavailable, messageId is null ? $"{status?.StatusCode} {status?.Detail}" : $"OK {messageId}", took);

        public string Describe() => $"{Answer.Split(':')[0]} in {Took.TotalMilliseconds:F0} ms";
    }
}
