using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;
using Notify.Silo.Hosting;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// SIGTERM (a rolling deploy, a scale-down) to one of three silos sending e-mail under load: it drains the sends on the
/// wire, hands queued ones back as transient failures (retried by the survivors), leaves the membership table as
/// Dead by itself and exits with code 0; nothing is lost or stuck, and nothing is sent twice.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class GracefulShutdownTests(PostgresServer postgres)
{
    private const int LoadMessages = 400;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task Build_ShutdownTimeoutKey_BoundsTheHostsGracefulStop()
    {
        await using var app = NotifyHost.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Notify:ShutdownTimeout"] = "00:01:30" }));

        Assert.Equal(TimeSpan.FromSeconds(90), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task SigTerm_SiloSendingEmailUnderLoad_DrainsExitsCleanlyLosesNothingAndFlagsAnyDuplicate()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.Faults.ReplyDelay = ClusterWarmUp.SlowReply;
        var database = await postgres.CreateDatabaseAsync("cluster_sigterm", Ct);
        await using var cluster = await SiloProcessCluster.StartAsync(database, 3, ClusterSettings.EmailTo(smtp), Ct);
        var client = await cluster.ConnectClientAsync(Ct);
        var submitter = new ResilientSubmitter(client, givingUpAfter: TimeSpan.FromSeconds(60));

        await ClusterWarmUp.EverySiloSendsAsync(cluster, smtp, Ct);
        var stopping = cluster.Silos[^1];

        var load = submitter.SubmitManyAsync(LoadMessages, 8, i => ($"load-{i}", ClusterSettings.Email($"user{i}@example.com", $"load {i}")), Ct);
        while (submitter.AcceptedCount < 1 + LoadMessages * 4 / 10 && !load.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }

        var atSignal = await MessageRows.ReadAllAsync(database, Ct);
        var inFlight = atSignal.Values.Count(r => r.AttemptStartedAt is not null);
        var clock = Stopwatch.StartNew();
        var exitedAfter = await stopping.TerminateAsync(TimeSpan.FromSeconds(90));
        var statusAfterExit = await ClusterTables.StatusAsync(database, cluster.ClusterId, stopping.Ports.Silo, Ct);

        await load;
        var accepted = submitter.Accepted.Values.ToHashSet(StringComparer.Ordinal);
        var records = await MessageRows.WaitUntilFinalAsync(database, accepted, TimeSpan.FromSeconds(90), cluster.Tails, Ct);
        var allFinalAfter = clock.Elapsed;
        var deliveries = SmtpDeliveries.CountByMessageId(smtp);
        var handedOver = records.Values.Count(r => r.LastError?.Contains("shutting down; handed back", StringComparison.Ordinal) == true);
        var duplicates = deliveries.Values.Sum(count => Math.Max(0, count - 1));
        var flagged = records.Values.Count(r => r.PossibleDuplicate);

        Report($"accepted {accepted.Count}; in flight at SIGTERM {inFlight}; silo {stopping.Name} exited {exitedAfter.TotalSeconds:F1} s after SIGTERM with code {stopping.ExitCode}");
        Report($"deliveries handed back to be retried elsewhere: {handedOver}; all final {allFinalAfter.TotalSeconds:F1} s after SIGTERM");
        Report($"delivered {deliveries.Count} messages in {deliveries.Values.Sum()} e-mails; duplicates {duplicates}; flagged PossibleDuplicate {flagged}");
        foreach (var record in records.Values.Where(r => r.PossibleDuplicate).Take(5))
        {
            Report($"  flagged {record.Id}: {record.LastError}");
        }


        Assert.Equal(0, stopping.ExitCode);
        Assert.Equal((int)SiloStatus.Dead, statusAfterExit);
        Assert.Empty(submitter.GaveUp);
        Assert.True(inFlight > 0, "nothing was in flight at SIGTERM, so the test proves nothing about draining");
        Assert.All(accepted, id => Assert.Equal(MessageStatus.Sent, records[id].Status));
        Assert.All(accepted, id => Assert.True(deliveries.ContainsKey(id), $"{id} is Sent but the SMTP server never got it"));
        // Every send is local to its message grain's silo and drained before the silo leaves, so none is sent twice.
        Assert.Equal(0, duplicates);
    }
}
