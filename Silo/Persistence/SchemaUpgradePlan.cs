namespace Notify.Silo.Persistence;

/// <summary>A script the database records as applied: its version, file name and SHA-256 when it was applied.</summary>
public sealed record AppliedSchemaScript(int Version, string Name, string Sha256);

/// <summary>
/// What a migration does, decided from the scripts this build carries and the ones the database records, before
/// anything runs: the scripts still to apply, in order. It refuses a database it must not touch, with a message
/// saying why and what to do: a schema newer than this build knows (upgrades never go backwards), an applied
/// script whose text has changed since (applied scripts never run again), an applied script this build lacks, or a
/// new script numbered below the database's version (scripts are applied in order).
/// </summary>
public static class SchemaUpgradePlan
{
    public static IReadOnlyList<SchemaScript> Pending(IReadOnlyList<SchemaScript> known, IReadOnlyCollection<AppliedSchemaScript> applied)
    {
        var newestKnown = known.Count == 0 ? 0 : known.Max(script => script.Version);
        if (applied.Count > 0 && applied.MaxBy(script => script.Version) is { } newestApplied && newestApplied.Version > newestKnown)
        {
            throw new SchemaMismatchException(
                $"the database schema is at version {newestApplied.Version} ({newestApplied.Name}), newer than this silo knows " +
                $"(its newest script is version {newestKnown}): a newer release has upgraded this database, and schema upgrades " +
                "cannot go backwards. Run that release (or a newer one), or point this silo at its own database.");
        }

        var byVersion = known.ToDictionary(script => script.Version);
        foreach (var recorded in applied.OrderBy(script => script.Version))
        {
            if (!byVersion.TryGetValue(recorded.Version, out var script))
            {
                throw new SchemaMismatchException(
                    $"the database records schema version {recorded.Version} ({recorded.Name}) as applied, and this silo has no such script: " +
                    "it was built from a branch that lacks it. Run a release that carries it.");
            }

            if (script.Sha256 != recorded.Sha256)
            {
                throw new SchemaMismatchException(
                    $"schema script {script.Name} was changed after it was applied: the database recorded sha256 {recorded.Sha256}, " +
                    $"this silo carries {script.Sha256}. Applied scripts never run again; restore the applied text and put the change " +
                    "in a new script numbered above the newest one.");
            }
        }

        var appliedVersions = applied.Select(script => script.Version).ToHashSet();
        var databaseVersion = applied.Count == 0 ? 0 : appliedVersions.Max();
        var pending = known.Where(script => !appliedVersions.Contains(script.Version)).OrderBy(script => script.Version).ToList();
        if (pending.FirstOrDefault(script => script.Version < databaseVersion) is { } late)
        {
            throw new SchemaMismatchException(
                $"schema script {late.Name} is not applied, but the database is already at version {databaseVersion}: scripts are " +
                $"applied in order, so a new script must be numbered above {databaseVersion}. Renumber it.");
        }

        return pending;
    }
}

/// <summary>The database's schema and this build's scripts disagree; the message says how and what to do.</summary>
public sealed class SchemaMismatchException(string message) : InvalidOperationException(message);
