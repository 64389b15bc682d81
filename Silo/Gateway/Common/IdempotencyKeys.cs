using Notify.Grains.Abstractions;
using Notify.Grains.Messages;

namespace Notify.Silo.Gateway.Common;

/// <summary>Idempotency keys on REST sends (channel sends and template sends alike).</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    /// <summary>Answer header of a replayed send (Novu's convention).</summary>
    public const string ReplayHeader = "Idempotency-Replay";

    /// <summary>
    /// The <c>Idempotency-Key</c> header (the HTTP convention) or the body's <c>requestId</c> (BK-CI's field): either
    /// may be used; both given must agree, since silently preferring one would make the other a trap.
    /// </summary>
    public static string? Read(HttpRequest request, string? bodyRequestId)
    {
        var values = request.Headers[Header];
        if (values.Count == 0)
        {
            return bodyRequestId;
        }

        if (values.Count > 1)
        {
            throw NotifyRequestException.Invalid(Header, "is given more than once");
        }

        var key = values.ToString();
        if (key.Length is 0 or > NotifyGrain.MaxRequestIdLength || key.Any(char.IsControl))
        {
            throw NotifyRequestException.Invalid(Header, $"must be 1-{NotifyGrain.MaxRequestIdLength} printable characters");
        }

        return bodyRequestId is null || bodyRequestId == key
            ? key
            : throw NotifyRequestException.Invalid(Header, $"differs from the body's requestId ('{key}' vs '{bodyRequestId}'); send one, or the same in both");
    }
}
