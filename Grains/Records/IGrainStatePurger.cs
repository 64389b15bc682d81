namespace Notify.Grains.Records;

/// <summary>
/// Deletes stored grain states of one kind (the <c>[PersistentState]</c> name) last written before a cutoff, oldest
/// first, at most <c>limit</c> per call. The PostgreSQL profile registers one; the embedded profile keeps grain
/// state in memory for the life of the process and registers none.
/// </summary>
public interface IGrainStatePurger
{
    Task<int> DeleteWrittenBeforeAsync(string stateName, DateTimeOffset writtenBefore, int limit, CancellationToken cancellationToken = default);
}

/// <summary>A kind of grain state that expires, and the cutoff before which its states are dead.</summary>
public sealed record ExpiredStates(string StateName, string Kind, DateTimeOffset WrittenBefore);

/// <summary>
/// Which grain states a retention pass may delete, pure. A state qualifies only when nothing it holds can matter
/// any more, whatever it holds, judged from its last write alone:
/// an idempotency key is written once, when claimed, and answers for its window (<c>Notify:Idempotency:Window</c>);
/// a frequency-limit state holds reservations of at most <see cref="Abstractions.Messages.NotifyLimits.MaxFrequencyLimitMinutes"/>,
/// the longest window a message may ask for, each made at a write;
/// a person's attention budget (<see cref="Attention.PersonAttentionGrain"/>) is written at every notice it decides and
/// every digest it sends or retries, and holds nothing older than its window (at most a day) and digests due within it,
/// so a week without a write leaves nothing in it to send.
/// </summary>
public static class GrainStateRetention
{
    public const string IdempotencyKeyState = "idempotency-key";
    public const string FrequencyLimitState = "frequency-limit";
    public const string AttentionState = Attention.PersonAttentionGrain.StateName;

    /// <summary>Seven times the longest attention window <c>Notify:Attention:Window</c> allows.</summary>
    public static readonly TimeSpan AttentionStateAge = 7 * Attention.AttentionOptions.MaxWindow;

    public static IReadOnlyList<ExpiredStates> Due(DateTimeOffset now, TimeSpan idempotencyWindow) =>
    [
        new(IdempotencyKeyState, "idempotency_keys", now - idempotencyWindow),
        new(FrequencyLimitState, "frequency_limits", now - TimeSpan.FromMinutes(Abstractions.Messages.NotifyLimits.MaxFrequencyLimitMinutes)),
        new(AttentionState, "attention_budgets", now - AttentionStateAge),
    ];
}
