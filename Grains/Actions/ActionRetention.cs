using Notify.Grains.Abstractions.Actions;

namespace Notify.Grains.Actions;

/// <summary>
/// When a finished instance is purged (<see cref="ActionOptions.FinishedRetention"/> after it ended), pure. Only an end
/// status qualifies, so an open instance, however old, is never purged.
/// </summary>
public static class ActionRetention
{
    /// <summary>The purge time of a finished instance; null while it is open or was never created.</summary>
    public static DateTimeOffset? PurgeAt(ActionInstanceState state, TimeSpan retention) =>
        state.Request is null || !state.Status.IsEnd() ? null : (state.EndTime ?? state.UpdatedAt) + retention;

    /// <summary>True once a finished instance's retention has passed: it is gone to callers even before its state is deleted.</summary>
    public static bool IsExpired(ActionInstanceState state, TimeSpan retention, DateTimeOffset now) =>
        PurgeAt(state, retention) is { } at && at <= now;
}
