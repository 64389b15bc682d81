namespace Notify.IntegrationTests.Infrastructure.Processes;

/// <summary>
/// Tests that run real silo processes run one class at a time: three silos each already share the two cores with
/// PostgreSQL and the test, and their failover timings are only meaningful when not starved.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiloProcessCollection
{
    public const string Name = "silo processes";
}
