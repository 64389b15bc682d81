using Microsoft.Extensions.Options;

namespace Notify.Silo.Persistence;

/// <summary>
/// Runs the <see cref="SchemaMigrator"/> as the first step of silo start-up, or only verifies the schema version when
/// <see cref="NotifyPostgresOptions.ApplySchemaOnStartup"/> is off: the Orleans ADO.NET providers read
/// <c>OrleansQuery</c> once when they initialise (membership when the runtime starts, storage and reminders later),
/// so the scripts must be in place before any of them. A failure (including a schema newer than this build) stops
/// the silo from starting.
/// </summary>
internal sealed class SchemaMigrationStartup(SchemaMigrator migrator, IOptions<NotifyPostgresOptions> options)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(SchemaMigrationStartup),
            ServiceLifecycleStage.First,
            options.Value.ApplySchemaOnStartup
                ? cancellationToken => migrator.MigrateAsync(cancellationToken)
                : cancellationToken => migrator.VerifyAsync(cancellationToken));
}
