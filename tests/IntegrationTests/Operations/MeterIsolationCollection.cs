namespace Notify.IntegrationTests.Operations;

/// <summary>
/// Tests that read a host's own <c>Notify</c> series from <c>/metrics</c> run alone. Meters are process-wide by name,
/// so in a test process each host's exporter also subscribes to the other hosts' <c>Notify</c> meters; a host that
/// stops while another is being scraped has been seen to take the shared series with it. Run after the parallel
/// tests, with no other host alive, the scrape sees only its own host.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterIsolationCollection
{
    public const string Name = "meter isolation";
}
