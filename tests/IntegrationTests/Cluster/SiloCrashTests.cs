using System.Diagnostics;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.IntegrationTests.Infrastructure.Processes;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// Three real silo processes under e-mail load; one is killed with SIGKILL mid-flight. Judged against PostgreSQL's
/// records and what the SMTP server received: nothing accepted is lost, duplicates stay within what was in flight
/// and are flagged, and wake-ups (delays, retries) the dead silo owned fire on the survivors.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class SiloCrashTests(PostgresServer postgres)
{
    private const int ImmediateMessages = 600;
    private const int DelayedMessages = 30;
    private const int RetryingMessages = 20;
    private const int DelaySeconds = 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task SigKill_SiloSendingEmailUnderLoad_NothingLostDuplicatesFlaggedAndWakeUpsMove()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.Faults.ReplyDelay = ClusterWarmUp.SlowReply;
        var database = await postgres.CreateDatabaseAsync("cluster_kill", Ct);
        await using var cluster = await SiloProcessCluster.StartAsync(database, 3, ClusterSettings.EmailTo(smtp), Ct);
        var client = await cluster.ConnectClientAsync(Ct);
        var submitter = new ResilientSubmitter(client, givingUpAfter: TimeSpan.FromSeconds(60));

        // Every silo sends what it accepts, and the client's submits spread over all of them: any silo has deliveries in flight.
        var warmUp = await ClusterWarmUp.EverySiloSendsAsync(cluster, smtp, Ct);
        var victim = cluster.Silos[^1];
        var survivor = cluster.Silos[0];
        var management = client.GetGrain<IManagementGrain>(0);

        // Wake-ups that must survive the silo: delayed messages, and messages retrying after a 451 from the server.
        var retryAddresses = Enumerable.Range(0, RetryingMessages).Select(i => $"retry{i}@example.com").ToArray();
        foreach (var address in retryAddresses)
        {
            smtp.Faults.RefuseRecipient(address, 451, "try again later");
        }

        var started = Stopwatch.StartNew();
        await submitter.SubmitManyAsync(DelayedMessages, 4, i => ($"delayed-{i}", ClusterSettings.Email($"delayed{i}@example.com", $"delayed {i}", DelaySeconds)), Ct);
        await submitter.SubmitManyAsync(RetryingMessages, 4, i => ($"retry-{i}", ClusterSettings.Email(retryAddresses[i], $"retry {i}")), Ct);
        var delayedIds = Enumerable.Range(0, DelayedMessages).Select(i => submitter.Accepted[$"delayed-{i}"]).ToHashSet();
        var retryIds = Enumerable.Range(0, RetryingMessages).Select(i => submitter.Accepted[$"retry-{i}"]).ToHashSet();

        // Load, and the kill once 40% of it is acknowledged, or halfway to the delayed messages' due time on a machine
        // too busy to get there: they must still be waiting at the kill.
        var load = submitter.SubmitManyAsync(ImmediateMessages, 8, i => ($"load-{i}", ClusterSettings.Email($"user{i}@example.com", $"load {i}")), Ct);
        var accepted = submitter.AcceptedCount;
        while (submitter.AcceptedCount < accepted + ImmediateMessages * 4 / 10 && !load.IsCompleted && started.Elapsed < TimeSpan.FromSeconds(DelaySeconds / 2))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }

        var delayedPlacement = new Dictionary<string, SiloAddress?>();
        foreach (var id in delayedIds.Concat(retryIds))
        {
            delayedPlacement[id] = await management.GetActivationAddress(client.GetGrain<IMessageGrain>(id), Ct);
        }

        var membersBefore = (await ClusterTables.MembersAsync(database, cluster.ClusterId, Ct)).Where(m => m.Status == (int)SiloStatus.Active).Select(m => m.Address).ToArray();
        var victimAddress = membersBefore.Single(a => a.Endpoint.Port == victim.Ports.Silo);
        var remindersBefore = await ClusterTables.RemindersAsync(database, cluster.ClusterId, Ct);

        var deliveredBeforeKill = smtp.Messages.Count;
        await victim.KillAsync();
        var killedAt = started.Elapsed;
        using var failoverStop = new CancellationTokenSource();
        var failover = FailoverWindowLoad.RunAsync(survivor, failoverStop.Token);
        var atKill = await MessageRows.ReadAllAsync(database, Ct);

        // In flight at the kill: journaled attempts (AttemptStartedAt set) whose outcome was not recorded yet.
        var inFlight = atKill.Values.Where(r => r.AttemptStartedAt is not null).Select(r => r.Id).ToHashSet();
        Assert.True(inFlight.Count > 0, "nothing was in flight at the kill, so the test proves nothing about interrupted deliveries");
        var delayedPendingAtKill = atKill.Values.Count(r => delayedIds.Contains(r.Id) && r.Status == MessageStatus.Pending);
        var retryingAtKill = atKill.Values.Count(r => retryIds.Contains(r.Id) && r.Status is MessageStatus.Retrying or MessageStatus.Sending);

        // The dead silo is declared dead by the survivors.
        var declaredDead = await Eventually.WaitAsync(
            () => ClusterTables.StatusAsync(database, cluster.ClusterId, victim.Ports.Silo, Ct),
            status => status == (int)SiloStatus.Dead,
            TimeSpan.FromSeconds(60),
            status => $"the killed silo is still {status} in the membership table\n{cluster.Tails()}");
        var deadAfter = started.Elapsed - killedAt;

        // Sends to a surviving gateway while the silo was being declared dead, and a few seconds after.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await failoverStop.CancelAsync();
        var failoverLoad = await failover;

        // The retrying receivers recover once the dead silo is gone, so their retries fire on the survivors.
        smtp.Faults.Clear();
        smtp.Faults.ReplyDelay = ClusterWarmUp.SlowReply;
        await load;

        var allAccepted = submitter.Accepted.Values.Concat(warmUp).Concat(failoverLoad.Accepted).ToHashSet(StringComparer.Ordinal);
        var records = await MessageRows.WaitUntilFinalAsync(database, allAccepted, TimeSpan.FromSeconds(120), cluster.Tails, Ct);
        var finishedAfter = started.Elapsed - killedAt;
        var deliveries = SmtpDeliveries.CountByMessageId(smtp);

        // Invariant 2: every accepted message is final, Sent (and received) or Failed with a reason.
        var lost = allAccepted.Where(id =>
            records[id].Status switch
            {
                MessageStatus.Sent => !deliveries.ContainsKey(id),
                MessageStatus.Failed => string.IsNullOrWhiteSpace(records[id].LastError),
                _ => true,
            }).ToList();
        var duplicated = deliveries.Where(d => d.Value > 1).Select(d => d.Key).ToList();
        var duplicates = deliveries.Values.Sum(count => Math.Max(0, count - 1));
        var flagged = records.Values.Count(r => r.PossibleDuplicate);
        var survivorsAfter = membersBefore.Where(a => !a.Equals(victimAddress)).ToArray();
        var wakeUpsOwnedByVictim = remindersBefore
            .Where(r => r.Name.StartsWith("wake:", StringComparison.Ordinal) && (delayedIds.Contains(r.GrainKey) || retryIds.Contains(r.GrainKey)))
            .Where(r => ReminderRing.Owner(r.GrainHash, membersBefore).Equals(victimAddress))
            .Select(r => r.GrainKey)
            .ToHashSet();
        var wakeUpsWithGrainOnVictim = delayedPlacement.Count(p => victimAddress.Equals(p.Value));

        // Delayed messages that only a moved reminder (or the recovery pass) could wake: reminder and grain both on the dead silo.
        var orphanedDelays = delayedIds.Where(id => wakeUpsOwnedByVictim.Contains(id) && victimAddress.Equals(delayedPlacement[id])).ToList();
        var orphanedLateness = orphanedDelays
            .Select(id => (records[id].CompletedAt!.Value - records[id].CreatedAt.AddSeconds(DelaySeconds)).TotalSeconds)
            .DefaultIfEmpty()
            .Max();

        Report($"accepted {allAccepted.Count} (load {ImmediateMessages}, delayed {DelayedMessages}, retrying {RetryingMessages}, warm-up {warmUp.Count}, failover window {failoverLoad.Accepted.Count}); client submit retries {submitter.Retries}; gave up {submitter.GaveUp.Count}");
        Report($"kill at {killedAt.TotalSeconds:F1} s: silo {victim.Name}; {deliveredBeforeKill} e-mails received before it");
        Report($"sends to surviving gateway {survivor.Name} from the kill to 3 s after the death was declared: {failoverLoad.Accepted.Count + failoverLoad.Refused.Count}, refused {failoverLoad.Refused.Count}{string.Concat(failoverLoad.Refused.Take(3).Select(r => "; " + r))}");
        Report($"in flight at the kill (journaled, outcome unrecorded): {inFlight.Count}; delayed still pending {delayedPendingAtKill}/{DelayedMessages}; retrying {retryingAtKill}/{RetryingMessages}");
        Report($"declared Dead {deadAfter.TotalSeconds:F1} s after the kill; all final {finishedAfter.TotalSeconds:F1} s after it");
        Report($"delivered {deliveries.Count} distinct messages in {deliveries.Values.Sum()} e-mails; lost {lost.Count}; duplicates {duplicates} (messages {duplicated.Count}); flagged PossibleDuplicate {flagged}");
        Report($"final: {string.Join(", ", records.Values.Where(r => allAccepted.Contains(r.Id)).GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}"))}");
        Report($"wake-ups (delay/retry reminders) owned by the killed silo's ring range: {wakeUpsOwnedByVictim.Count} of {DelayedMessages + RetryingMessages}; grains on the killed silo: {wakeUpsWithGrainOnVictim}");
        Report($"delayed messages whose reminder and grain were both on the killed silo: {orphanedDelays.Count}, sent at most {orphanedLateness:F1} s after their due time");

        Assert.Equal((int)SiloStatus.Dead, declaredDead);
        Assert.Empty(submitter.GaveUp);
        Assert.True(failoverLoad.Accepted.Count > 0, "no send reached the surviving gateway during the failover window");
        Assert.True(failoverLoad.Refused.Count == 0, $"the surviving gateway refused {failoverLoad.Refused.Count} sends during the failover: {string.Join("; ", failoverLoad.Refused.Take(5))}");
        Assert.True(lost.Count == 0, $"lost: {string.Join(", ", lost.Take(10).Select(id => $"{id} {records[id].Status} {records[id].LastError}"))}");
        Assert.All(records.Values.Where(r => allAccepted.Contains(r.Id)), r => Assert.Equal(MessageStatus.Sent, r.Status));
        Assert.All(duplicated, id => Assert.True(records[id].PossibleDuplicate, $"{id} was delivered {deliveries[id]} times but is not flagged PossibleDuplicate"));
        Assert.True(duplicated.Count <= inFlight.Count, $"{duplicated.Count} messages delivered twice, but only {inFlight.Count} were in flight at the kill");
        Assert.All(duplicated, id => Assert.Contains(id, inFlight));
        Assert.True(deliveries.Keys.All(allAccepted.Contains), "an e-mail went out for a message no caller got an acknowledgement for");

        // Wake-ups: every delayed message was still waiting at the kill and was sent after its delay; every retrying
        // one needed a retry after the kill; some of those reminders lay in the dead silo's range, and fired anyway.
        Assert.Equal(DelayedMessages, delayedPendingAtKill);
        Assert.All(delayedIds, id => Assert.True(records[id].CompletedAt >= records[id].CreatedAt.AddSeconds(DelaySeconds)));
        Assert.All(retryIds, id => Assert.True(records[id].Attempts > 1));
        Assert.NotEmpty(wakeUpsOwnedByVictim);
    }
}
