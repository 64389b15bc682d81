using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Abstractions.Records;
using Notify.IntegrationTests.Infrastructure;
using Notify.IntegrationTests.Infrastructure.Postgres;

namespace Notify.IntegrationTests.Cluster;

/// <summary>
/// A caller whose submit died with its gateway silo retries with the same request id; the message grain that answers
/// is then a new activation that read the record back from PostgreSQL.
/// </summary>
public sealed class ResubmitTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_SameRequestIdAfterTheMessageGrainWasReadBackFromTheStore_IsAReplay()
    {
        var database = await postgres.CreateDatabaseAsync("resubmit", Ct);
        var clusterId = "resubmit-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await InProcessSilo.StartAsync(database, clusterId);
        var message = ClusterSettings.Email("a@example.com", "resubmitted");
        var first = await silo.Client.GetGrain<INotifyGrain>(0).SubmitAsync(message, "req-after-failover");
        await Eventually.WaitAsync(
            () => MessageRows.ReadAllAsync(database, Ct),
            rows => rows.TryGetValue(first.MessageId, out var r) && r.Status.IsFinal(),
            TimeSpan.FromSeconds(30),
            rows => $"message {first.MessageId} is not final");
        await silo.Client.GetGrain<IManagementGrain>(0).DeactivateGrain(silo.Client.GetGrain<IMessageGrain>(first.MessageId).GetGrainId(), Ct);

        var second = await silo.Client.GetGrain<INotifyGrain>(0).SubmitAsync(message, "req-after-failover");

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.True(second.Replayed);
    }
}
