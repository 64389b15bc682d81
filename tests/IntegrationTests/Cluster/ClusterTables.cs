using System.Net;
using Npgsql;

namespace Notify.IntegrationTests.Cluster;

/// <summary>The Orleans tables of a cluster as PostgreSQL holds them: membership rows and reminder rows.</summary>
internal static class ClusterTables
{
    public sealed record Member(SiloAddress Address, int Status, int ProxyPort);

    public sealed record Reminder(string GrainKey, string Name, uint GrainHash);

    public static async Task<IReadOnlyList<Member>> MembersAsync(string connectionString, string clusterId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT Address, Port, Generation, Status, ProxyPort FROM OrleansMembershipTable WHERE DeploymentId = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<Member>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var address = SiloAddress.New(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2));
            members.Add(new Member(address, reader.GetInt32(3), reader.IsDBNull(4) ? 0 : reader.GetInt32(4)));
        }

        return members;
    }

    /// <summary>The membership status of the silo listening on <paramref name="siloPort"/> (its latest generation).</summary>
    public static async Task<int?> StatusAsync(string connectionString, string clusterId, int siloPort, CancellationToken cancellationToken) =>
        (await MembersAsync(connectionString, clusterId, cancellationToken))
            .Where(m => m.Address.Endpoint.Port == siloPort)
            .MaxBy(m => m.Address.Generation)?.Status;

    public static async Task<IReadOnlyList<Reminder>> RemindersAsync(string connectionString, string serviceId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT GrainId, ReminderName, GrainHash FROM OrleansRemindersTable WHERE ServiceId = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reminders = new List<Reminder>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // GrainId is "type/key"; the column holds the uniform hash as a signed integer.
            var grainId = reader.GetString(0);
            reminders.Add(new Reminder(grainId[(grainId.IndexOf('/', StringComparison.Ordinal) + 1)..], reader.GetString(1), unchecked((uint)reader.GetInt32(2))));
        }

        return reminders;
    }
}

/// <summary>
/// Which silo's reminder service owns a grain hash: Orleans' virtual-bucket ring (30 points per silo from
/// <see cref="SiloAddress.GetUniformHashCodes"/>); a silo owns the hashes from the point before each of its points
/// up to and including that point, the lowest point also owning everything past the highest.
/// </summary>
internal static class ReminderRing
{
    public const int VirtualBucketsPerSilo = 30;

    public static SiloAddress Owner(uint hash, IReadOnlyCollection<SiloAddress> activeSilos)
    {
        var points = new SortedDictionary<uint, SiloAddress>();
        foreach (var silo in activeSilos)
        {
            foreach (var point in silo.GetUniformHashCodes(VirtualBucketsPerSilo))
            {
                // On a collision the lesser address keeps the point, as Orleans does.
                if (!points.TryGetValue(point, out var other) || silo.CompareTo(other) < 0)
                {
                    points[point] = silo;
                }
            }
        }

        foreach (var (point, silo) in points)
        {
            if (point >= hash)
            {
                return silo;
            }
        }

        return points.First().Value;
    }
}
