using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// Liveness behind the gRPC health service: this process's silo is active in the cluster. Readiness (storage
/// reachable, channels configured) is a separate check.
/// </summary>
public sealed class SiloLivenessCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("the silo is active")
            : HealthCheckResult.Unhealthy($"the silo is {silo.CurrentStatus}"));
}
