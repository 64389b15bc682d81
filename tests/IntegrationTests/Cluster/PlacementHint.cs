using Orleans.Runtime.Placement;

namespace Notify.IntegrationTests.Cluster;

/// <summary>Orleans' placement hint: the activations a call creates go to the silo a test names, not where placement would choose.</summary>
internal static class PlacementHint
{
    public static async Task<T> OnSilo<T>(SiloAddress silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }
}
