using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Grains;

namespace Notify.Grains.Messages;

/// <summary>
/// New message ids whose grain-directory entry this silo holds. A message grain is placed on the silo that accepted
/// it, but Orleans' default directory keeps each grain's entry on the silo that owns the grain id's hash on a ring of
/// the active silos, so with N silos an activation would register (and later unregister) across the network N−1 times
/// in N. Choosing, among random ids, one whose hash falls in this silo's range (about N tries) keeps the whole life of
/// a message on its silo. This mirrors Orleans' <c>LocalGrainDirectory.CalculateGrainDirectoryPartition</c> (the silo
/// with the largest consistent hash at or below the grain's, else the largest); were Orleans to partition otherwise,
/// ids would only lose their locality, never their uniqueness or correctness.
/// </summary>
public sealed class LocalMessageIds(IClusterMembershipService membership, ILocalSiloDetails localSilo, IGrainFactory grainFactory)
{
    // Enough for a silo holding a thirtieth of the ring; past it the id is used anyway (one remote registration).
    private const int MaxTries = 128;

    private readonly GrainType _messageGrainType = grainFactory.GetGrain<IMessageGrain>(GrainKeys.NewMessageId()).GetGrainId().Type;
    private volatile Ring? _ring;

    public string Next()
    {
        var ring = CurrentRing();
        var id = GrainKeys.NewMessageId();
        for (var tries = 1; tries < MaxTries && ring.Silos.Length > 1 && !ring.IsLocal(Hash(id)); tries++)
        {
            id = GrainKeys.NewMessageId();
        }

        return id;
    }

    private int Hash(string id) => unchecked((int)GrainId.Create(_messageGrainType, id).GetUniformHashCode());

    private Ring CurrentRing()
    {
        var snapshot = membership.CurrentSnapshot;
        var ring = _ring;
        if (ring is null || ring.Version != snapshot.Version)
        {
            var silos = snapshot.Members.Values
                .Where(m => m.Status == SiloStatus.Active)
                .Select(m => m.SiloAddress)
                .Append(localSilo.SiloAddress)
                .Distinct()
                .OrderBy(s => s.GetConsistentHashCode())
                .ThenBy(s => s)
                .ToArray();
            ring = new Ring(snapshot.Version, silos, localSilo.SiloAddress);
            _ring = ring;
        }

        return ring;
    }

    private sealed class Ring(MembershipVersion version, SiloAddress[] silos, SiloAddress local)
    {
        public MembershipVersion Version { get; } = version;

        public SiloAddress[] Silos { get; } = silos;

        public bool IsLocal(int hash)
        {
            for (var i = Silos.Length - 1; i >= 0; i--)
            {
                if (Silos[i].GetConsistentHashCode() <= hash)
                {
                    return Silos[i].Equals(local);
                }
            }

            return Silos[^1].Equals(local);
        }
    }
}
