using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Records;
using Notify.Grains.Messages;
using Notify.IntegrationTests.Infrastructure;

namespace Notify.IntegrationTests.Cluster;

/// <summary>The recovery pass resumes what a dead silo left half done: an attempt journaled and never answered.</summary>
public sealed class RecoveryPassTests
{
    [Fact]
    public async Task RunOnceAsync_AttemptJournaledBySiloThatDied_IsRetriedAndFlagged()
    {
        await using var cluster = await NotifyTestCluster.StartAsync();
        const int interrupted = 40;
        var interruptedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var ids = Enumerable.Range(0, interrupted).Select(i => $"msg_interrupted{i}").ToArray();
        foreach (var id in ids)
        {
            // The record exactly as a silo killed mid-send leaves it: Sending, journal set, lease long past.
            await cluster.Store.WriteAsync(new MessageRecord
            {
                Id = id,
                Message = ClusterSettings.Email($"{id}@example.com", id),
                Receivers = [new ReceiverOutcome { Receiver = $"{id}@example.com", Kind = RecipientKind.To, Status = ReceiverStatus.Pending }],
                Status = MessageStatus.Sending,
                Attempts = 1,
                CreatedAt = interruptedAt,
                UpdatedAt = interruptedAt,
                AttemptStartedAt = interruptedAt,
                NextAttemptAt = interruptedAt.AddMinutes(2),
            }, null, TestContext.Current.CancellationToken);
        }

        var resumed = await cluster.Client.GetGrain<IMessageRecoveryGrain>(IMessageRecoveryGrain.Key).RunOnceAsync();

        Assert.Equal(interrupted, resumed);
        // Read from the store, not through the grains: a grain read would activate the message and wake it by itself.
        foreach (var id in ids)
        {
            var stored = await Eventually.WaitAsync(
                () => cluster.Store.ReadAsync(id, TestContext.Current.CancellationToken),
                s => s?.Record.Status.IsFinal() == true,
                TimeSpan.FromSeconds(30),
                s => $"{id} is {s?.Record.Status}");
            Assert.Equal(MessageStatus.Sent, stored!.Record.Status);
            Assert.True(stored.Record.PossibleDuplicate);
        }

        Assert.Equal(ids.Order(), cluster.Transport(NotifyChannel.Email).Deliveries.Select(d => d.MessageId).Order());
    }
}
