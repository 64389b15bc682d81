using Notify.IntegrationTests.Infrastructure.Postgres;
using Notify.Silo.Persistence;
using Orleans.Hosting;
using Xunit;

namespace Notify.IntegrationTests.Persistence;

/// <summary>
/// A class fixture: one silo on the Postgres profile over a fresh, empty database, which the silo's own start-up
/// migration fills. Reminders may tick every second. A second grain storage deletes rows on clear, to exercise
/// the schema's DeleteStorageKey, which the profile itself does not use.
/// </summary>
public sealed class PostgresSiloFixture(PostgresServer server) : IAsyncLifetime
{
    public const string DeletingStorageName = "deleting";

    private PostgresSilo? _silo;

    public string ConnectionString { get; private set; } = "";

    public string ClusterId { get; } = "cluster-" + Guid.NewGuid().ToString("N")[..8];

    public string ServiceId { get; } = "service-" + Guid.NewGuid().ToString("N")[..8];

    public PostgresSilo Silo => _silo ?? throw new InvalidOperationException("the silo has not started");

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync("silo");
        _silo = await PostgresSilo.StartAsync(
            ConnectionString,
            ClusterId,
            ServiceId,
            silo =>
            {
                silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
                silo.AddAdoNetGrainStorage(DeletingStorageName, options =>
                {
                    options.Invariant = PostgresProfile.Invariant;
                    options.ConnectionString = ConnectionString;
                    options.DeleteStateOnClear = true;
                });
            });
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
