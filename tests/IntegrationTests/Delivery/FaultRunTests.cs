using System.Globalization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Channels.Email;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Smtp;

namespace Notify.IntegrationTests.Delivery;

/// <summary>
/// A fault run: 1,000 e-mails through the real SMTP transport to a test server that faults 20% of message
/// transactions (a drop at DATA, a 451, a 554, a reply lost after accepting). Every message ends final; the ones the
/// server refused for good end Failed with its reply; every message the server accepted more than once is flagged a
/// possible duplicate, and only messages whose reply was lost are.
/// </summary>
public sealed class FaultRunTests
{
    private const int Messages = 1_000;
    private const double FaultRate = 0.2;

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static string NotifyId(MimeKit.MimeMessage message) => message.Headers[EmailMimeBuilder.NotifyMessageIdHeader] ?? "";

    [Fact]
    public async Task FaultRun_ThousandEmailsWithTwentyPercentFaults_AllFinalPermanentOnesFailedDuplicatesFlagged()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.Faults.InjectRandomly(FaultRate, seed: 17);
        await using var cluster = await NotifyTestCluster.StartAsync(options =>
        {
            options.ConfiguredChannels.Add(NotifyChannel.Email);
            options.Configuration["Channels:Email:Host"] = smtp.Host;
            options.Configuration["Channels:Email:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
            options.Configuration["Channels:Email:From"] = "notify@example.com";
            options.Configuration["Channels:Email:MaxConnections"] = "8";
            options.Configuration["Notify:Delivery:RetryBaseDelay"] = "00:00:00.050";
            options.Configuration["Notify:Delivery:RetryMaxDelay"] = "00:00:00.400";
        });

        var ids = await SubmitAsync(cluster);
        var records = await WaitForAllFinalAsync(cluster, ids);

        var copies = smtp.Messages.GroupBy(m => NotifyId(m.Message)).ToDictionary(g => g.Key, g => g.ToList());
        var refusedForGood = smtp.RefusedMessages
            .Where(r => r.Reply == SmtpFaults.RandomPermanentReply)
            .Select(r => NotifyId(r.Message))
            .ToHashSet();
        var byStatus = records.Values.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        var duplicated = copies.Where(c => c.Value.Count > 1).Select(c => c.Key).ToList();
        var flagged = records.Values.Where(r => r.PossibleDuplicate).ToList();
        var lostReplies = copies.Where(c => c.Value.Any(m => m.ReplyDropped)).Select(c => c.Key).ToHashSet();
        Report($"{Messages} messages, {FaultRate:P0} of SMTP transactions faulted; attempts {records.Values.Sum(r => r.Attempts)}");
        Report($"final: {string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}");
        Report($"server: {smtp.Messages.Count} copies accepted of {copies.Count} messages, {smtp.Messages.Count(m => m.ReplyDropped)} with the reply lost, " +
            $"{smtp.RefusedMessages.Count} refusals ({refusedForGood.Count} permanent), {smtp.ConnectionsOpened} connections");
        Report($"delivered twice or more: {duplicated.Count}; flagged possibleDuplicate: {flagged.Count}; " +
            $"failed for good: {records.Values.Count(r => r.Receivers.Single().Reason == OutcomeReason.PermanentFailure)}; " +
            $"retries exhausted: {records.Values.Count(r => r.Receivers.Single().Reason == OutcomeReason.RetriesExhausted)}");

        Assert.All(records.Values, r => Assert.True(r.Status.IsFinal(), $"{r.Id} is {r.Status}"));
        Assert.All(duplicated, id => Assert.True(records[id].PossibleDuplicate, $"{id} was delivered {copies[id].Count} times but is not flagged"));
        Assert.All(flagged, r => Assert.Contains(r.Id, lostReplies));
        Assert.All(flagged, r => Assert.NotNull(Assert.Single(r.Receivers).UnknownOutcomeAttempt));
        Assert.All(records.Values.Where(r => r.Receivers.Single().Reason == OutcomeReason.PermanentFailure), r =>
        {
            Assert.Equal(MessageStatus.Failed, r.Status);
            Assert.Contains(r.Id, refusedForGood);
            Assert.Contains($"SMTP 554: {SmtpFaults.RandomPermanentReply.Text}", r.Receivers.Single().Detail, StringComparison.Ordinal);
        });
        Assert.All(records.Values.Where(r => r.Status == MessageStatus.Sent), r => Assert.Contains(r.Id, copies.Keys));
        Assert.All(records.Values.Where(r => !copies.ContainsKey(r.Id)), r => Assert.Equal(MessageStatus.Failed, r.Status));
        Assert.NotEmpty(duplicated);
        Assert.NotEmpty(refusedForGood);
    }

    private static async Task<List<string>> SubmitAsync(NotifyTestCluster cluster)
    {
        var ids = new string[Messages];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Messages)
            {
                ids[i] = (await cluster.Notify.SubmitAsync(new NotifyMessage
                {
                    Channel = NotifyChannel.Email,
                    Receivers = [$"user{i}@example.com"],
                    Title = $"fault run {i}",
                    Body = "the quick brown fox jumps over the lazy dog",
                    Source = "fault-run",
                })).MessageId;
            }
        }));
        return [.. ids];
    }

    private static async Task<Dictionary<string, MessageRecord>> WaitForAllFinalAsync(NotifyTestCluster cluster, List<string> ids)
    {
        var final = new Dictionary<string, MessageRecord>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            foreach (var id in ids.Where(id => !final.ContainsKey(id)).ToList())
            {
                if (await cluster.Store.ReadAsync(id) is { Record.Status: var status } stored && status.IsFinal())
                {
                    final[id] = stored.Record;
                }
            }

            if (final.Count == ids.Count)
            {
                return final;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{ids.Count - final.Count} of {ids.Count} messages are not final");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
