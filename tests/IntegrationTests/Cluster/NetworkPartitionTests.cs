using System.Diagnostics;
using System.Net;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Notify.Silo.Gateway.Security;
using Notify.Silo.Hosting.Tls;
using Npgsql;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// Three silo processes on one PostgreSQL; the third runs in its own network namespace, so the test can take its
/// network away. First only its PostgreSQL connection goes (a proxy cut): the others still reach it, so it is not
/// declared dead. Then its whole network goes under load (the link down: PostgreSQL, the other silos, SMTP): the
/// others declare it Dead, and finish its messages while it is still cut off. When the network returns, it learns it
/// was declared dead and stops itself; started again as a supervisor would, it rejoins as a new generation, Active.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class NetworkPartitionTests(PostgresServer postgres)
{
    private const int LoadMessages = 240;
    private const int ThroughIsolatedGateway = 60;

    // Due after the cut: they wait on the cut-off silo with a timer, and on a reminder in PostgreSQL.
    private const int DirectDelaySeconds = 8;

    // Its gateway listens on the namespace's address, which the host allows only with keys.
    private const string ApiKey = "partition-test-key";
    private static readonly TimeSpan DatabaseOnlyOutage = TimeSpan.FromSeconds(10);

    // Longer than the membership timeout (two missed 1-second probes, then votes) and than AttemptLease + RecoveryPeriod.
    private static readonly TimeSpan MinimumPartition = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task PartitionSilo_DatabaseOnlyThenWholeNetwork_KeptThenDeclaredDeadWorkFinishedByOthersAndRestartRejoins()
    {
        await using var network = await IsolatedNetwork.CreateAsync();
        await using var smtp = SmtpTestServer.Start();
        smtp.Faults.ReplyDelay = TimeSpan.FromMilliseconds(20);
        var database = PostgresOutageTests.WithTimeouts(await postgres.CreateDatabaseAsync("partition", Ct));
        var server = new NpgsqlConnectionStringBuilder(database);

        // The isolated silo reaches PostgreSQL and SMTP through forwarders on this machine's end of its link.
        await using var databaseLink = TcpProxy.Start(new IPEndPoint(IPAddress.Parse(server.Host!), server.Port), network.HostAddress);
        await using var smtpLink = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, smtp.Port), network.HostAddress);
        var settings = ClusterSettings.EmailTo(smtp);
        settings["Silo:AdvertisedIP"] = network.HostAddress.ToString();
        // The partition is the subject here, not transport security: the test network is private to this machine.
        settings[OrleansTransportSecurity.AllowPlaintextKey] = "true";
        await using var cluster = await SiloProcessCluster.StartAsync(database, 2, settings, Ct);
        var isolated = await cluster.StartSiloAsync(new Dictionary<string, string?>
        {
            ["Silo:AdvertisedIP"] = network.InsideAddress.ToString(),
            ["Gateway:ListenAddress"] = network.InsideAddress.ToString(),
            [GatewayTransportSecurity.BehindProxyKey] = "true",
            ["Gateway:ApiKeys:cluster-test:Hash"] = GatewayKeyRing.HashOf(ApiKey),
            // The test is about the partition, not the key limit, which a burst of its sends would meet on a loaded machine.
            ["Gateway:ApiKeys:cluster-test:PermitLimit"] = "1000000",
            ["ConnectionStrings:Notify"] = databaseLink.Redirect(database),
            ["Channels:Email:Host"] = network.HostAddress.ToString(),
            ["Channels:Email:Port"] = smtpLink.Endpoint.Port.ToString(),
        }, network, Ct);
        var client = await cluster.ConnectClientAsync(TimeSpan.FromSeconds(5), Ct);
        await Eventually.WaitAsync(
            () => client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true),
            hosts => hosts.Count == 3,
            TimeSpan.FromSeconds(30),
            hosts => $"active: {string.Join(", ", hosts.Keys)}");
        var isolatedBefore = await MemberAsync(database, cluster.ClusterId, isolated);

        // 1. Only its PostgreSQL goes: it cannot write its heartbeat, but the other silos still probe it successfully.
        databaseLink.Cut();
        var statusesWithoutDatabase = new List<SiloStatus>();
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < DatabaseOnlyOutage;)
        {
            statusesWithoutDatabase.Add((SiloStatus)(await MemberAsync(database, cluster.ClusterId, isolated)).Status);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }

        var runningWithoutDatabase = !isolated.HasExited;
        databaseLink.Restore();

        // 2. Under load, its whole network goes: load through the Orleans client, and delayed sends through its own
        // gRPC gateway (a Go or Java caller's), whose messages it holds.
        var submitter = new ResilientSubmitter(client, givingUpAfter: TimeSpan.FromSeconds(120));
        var load = submitter.SubmitManyAsync(LoadMessages, 8, i => ($"load-{i}", ClusterSettings.Email($"user{i}@example.com", $"load {i}")), Ct);
        using var isolatedGateway = new SiloGateway(isolated, ApiKey);
        var direct = await Task.WhenAll(Enumerable.Range(0, ThroughIsolatedGateway).Select(i => isolatedGateway.SendEmailGrpcAsync($"direct{i}@example.com", $"direct {i}", $"direct-{i}", DirectDelaySeconds)));
        Assert.All(direct, d => Assert.True(d.MessageId is not null, $"its gateway refused a send before the cut: {d.Refusal}"));

        while (submitter.AcceptedCount < LoadMessages * 4 / 10 && !load.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }

        var open = (await MessageRows.ReadAllAsync(database, Ct)).Values.Where(r => !r.Status.IsFinal()).Select(r => r.Id).ToList();
        var management = client.GetGrain<IManagementGrain>(0);
        var onIsolated = new List<string>();
        foreach (var id in open)
        {
            if ((await management.GetActivationAddress(client.GetGrain<IMessageGrain>(id), Ct))?.Endpoint.Port == isolated.Ports.Silo)
            {
                onIsolated.Add(id);
            }
        }

        await network.CutAsync();
        var partition = Stopwatch.StartNew();
        var declaredDead = await Eventually.WaitAsync(
            () => MemberAsync(database, cluster.ClusterId, isolated),
            member => member.Status == (int)SiloStatus.Dead,
            TimeSpan.FromSeconds(60),
            member => $"the cut-off silo is still {(SiloStatus)member.Status}\n{cluster.Tails()}");
        var deadAfter = partition.Elapsed;

        // Its messages are finished by the others while it is still cut off (it could not write them anyway).
        var finishedWhileCut = await MessageRows.WaitUntilFinalAsync(database, onIsolated, TimeSpan.FromSeconds(60), cluster.Tails, Ct);
        var finishedAfter = partition.Elapsed;
        if (partition.Elapsed < MinimumPartition)
        {
            await Task.Delay(MinimumPartition - partition.Elapsed, Ct);
        }

        var runningWhileCut = !isolated.HasExited;

        // 3. The network returns: the silo learns it was declared dead and stops itself; a supervisor starts it again.
        await network.RestoreAsync();
        var healed = Stopwatch.StartNew();
        await isolated.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var exitedAfter = healed.Elapsed;
        var rejoined = await cluster.RestartAsync(isolated, Ct);
        var rejoinedAfter = healed.Elapsed;
        var member = await MemberAsync(database, cluster.ClusterId, rejoined);
        using var rejoinedGateway = new SiloGateway(rejoined, ApiKey);
        var (sent, _) = await rejoinedGateway.SendEmailRestAsync("rejoined@example.com", "rejoined");

        await load;
        var accepted = submitter.Accepted.Values.Concat(direct.Select(d => d.MessageId!)).Append(sent.Body.GetProperty("messageId").GetString()!).ToHashSet();
        var records = await MessageRows.WaitUntilFinalAsync(database, accepted, TimeSpan.FromSeconds(90), cluster.Tails, Ct);
        var deliveries = SmtpDeliveries.CountByMessageId(smtp);
        var lost = accepted.Where(id => records[id].Status != MessageStatus.Sent || !deliveries.ContainsKey(id)).ToList();
        var duplicated = deliveries.Where(d => d.Value > 1).Select(d => d.Key).ToList();

        Report($"database only, {DatabaseOnlyOutage.TotalSeconds:F0} s: the cut-off silo was {string.Join(" ", statusesWithoutDatabase.Distinct())} throughout, running {runningWithoutDatabase}");
        Report($"partition: {onIsolated.Count} open messages had their grain on the cut-off silo; declared Dead {deadAfter.TotalSeconds:F1} s after the cut; its messages final {finishedAfter.TotalSeconds:F1} s after it ({string.Join(", ", onIsolated.GroupBy(id => finishedWhileCut[id].Status).Select(g => $"{g.Key} {g.Count()}"))}); still running when the network returned: {runningWhileCut}");
        Report($"healed: it stopped itself {exitedAfter.TotalSeconds:F1} s later (exit code {isolated.ExitCode}); restarted, ready {rejoinedAfter.TotalSeconds:F1} s after the heal as {member.Address} {(SiloStatus)member.Status} (was {isolatedBefore.Address})");
        Report($"accepted {accepted.Count}, submit retries {submitter.Retries}; delivered {deliveries.Count} distinct in {deliveries.Values.Sum()} e-mails; lost {lost.Count}; duplicates {duplicated.Count}; flagged {records.Values.Count(r => r.PossibleDuplicate)}");

        Assert.All(statusesWithoutDatabase, s => Assert.Equal(SiloStatus.Active, s));
        Assert.True(runningWithoutDatabase, "the silo that lost only PostgreSQL stopped");
        Assert.Equal((int)SiloStatus.Dead, declaredDead.Status);
        Assert.NotEmpty(onIsolated);
        Assert.All(onIsolated, id => Assert.Equal(MessageStatus.Sent, finishedWhileCut[id].Status));
        Assert.True(runningWhileCut, "the cut-off silo exited before the network returned, so the test says nothing about it learning it was dead");

        // Orleans fails fast (SIGABRT, 134): a supervisor's restart-on-failure applies.
        Assert.NotEqual(0, isolated.ExitCode);
        Assert.True(member.Address.Generation > isolatedBefore.Address.Generation, $"rejoined as {member.Address}, was {isolatedBefore.Address}");
        Assert.Equal((int)SiloStatus.Active, member.Status);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Empty(submitter.GaveUp);
        Assert.True(lost.Count == 0, $"lost: {string.Join(", ", lost.Take(10).Select(id => $"{id} {records[id].Status} {records[id].LastError}"))}");
        Assert.All(duplicated, id => Assert.True(records[id].PossibleDuplicate, $"{id} was delivered {deliveries[id]} times but is not flagged"));
    }

    /// <summary>The silo's latest membership row (its port, highest generation).</summary>
    private static async Task<ClusterTables.Member> MemberAsync(string database, string clusterId, SiloProcess silo) =>
        (await ClusterTables.MembersAsync(database, clusterId, Ct)).Where(m => m.Address.Endpoint.Port == silo.Ports.Silo).MaxBy(m => m.Address.Generation)
        ?? throw new InvalidOperationException($"{silo.Name} has no membership row");
}
