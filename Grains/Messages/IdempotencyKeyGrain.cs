using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Records;

namespace Notify.Grains.Messages;

/// <summary>One caller's request id: the message it created and a hash of the body it came with, for a window.</summary>
[Alias("notify.IIdempotencyKeyGrain")]
public interface IIdempotencyKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// The message id this request id stands for: the one claimed earlier within the window (same body), or
    /// <paramref name="candidateMessageId"/> now. A different body within the window is a conflict.
    /// </summary>
    [Alias("Claim")]
    Task<string> ClaimAsync(string bodyHash, string candidateMessageId);
}

/// <summary>
/// Retries of a submit come within seconds; after two idle minutes the key lives on only in storage, so a burst of
/// one-off request ids does not keep one activation each in memory for Orleans' default collection age.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class IdempotencyKeyGrain(
    [PersistentState(GrainStateRetention.IdempotencyKeyState, NotifyStorage.Name)] IPersistentState<IdempotencyKeyState> state,
    IOptions<IdempotencyOptions> options,
    TimeProvider time) : Grain, IIdempotencyKeyGrain
{
    public async Task<string> ClaimAsync(string bodyHash, string candidateMessageId)
    {
        var now = time.GetUtcNow();
        if (state.State.MessageId.Length > 0 && state.State.ExpiresAt > now)
        {
            return state.State.BodyHash == bodyHash
                ? state.State.MessageId
                : throw NotifyRequestException.Conflict("requestId", $"this request id was used for message {state.State.MessageId} with a different body within the last {options.Value.Window}");
        }

        state.State.MessageId = candidateMessageId;
        state.State.BodyHash = bodyHash;
        state.State.ExpiresAt = now + options.Value.Window;
        await state.WriteOrDeactivateAsync(this);
        return candidateMessageId;
    }

    /// <summary>The key of a caller's request id: scoped by source, escaped so no key reads as hex or carries a '+'.</summary>
    public static string Key(string source, string requestId) =>
        $"idem:{Uri.EscapeDataString(source)}/{Uri.EscapeDataString(requestId)}";

    /// <summary>A stable hash of a validated message, so a retried submit is recognised byte for byte.</summary>
    public static string BodyHash(NotifyMessage message) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(message)));
}

[GenerateSerializer, Alias("notify.IdempotencyKeyState")]
public sealed class IdempotencyKeyState
{
    [Id(0)] public string MessageId { get; set; } = "";

    [Id(1)] public string BodyHash { get; set; } = "";

    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }
}
