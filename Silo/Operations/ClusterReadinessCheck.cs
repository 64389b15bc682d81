using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;
using Notify.Grains.Records;
using Orleans.Runtime;

namespace Notify.Silo.Operations;

/// <summary>Ready = this silo is an active cluster member, a durable grain answers, and the record store answers a query.</summary>
public sealed class ClusterReadinessCheck(ILocalSiloDetails silo, IClusterMembershipService membership, IGrainFactory grains, IMessageRecordStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}, not Active");
        }

        try
        {
            await grains.GetGrain<IBlacklistGrain>(GrainKeys.Blacklist).GetAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy($"grain storage did not answer: {exception.Message}");
        }

        try
        {
            await store.FindOverdueAsync(DateTimeOffset.MinValue, 1, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy($"the record store did not answer: {exception.Message}");
        }

        return HealthCheckResult.Healthy($"silo {silo.SiloAddress} active; storage reachable");
    }
}
