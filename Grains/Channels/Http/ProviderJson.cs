using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notify.Grains.Channels.Http;

/// <summary>
/// The one JSON setting for provider bodies, so the outbox file and the POSTed body are the same bytes:
/// property names come from <c>[JsonPropertyName]</c>, unset optional fields are left out, and Chinese text is
/// written as is rather than as \u escapes (the bodies are never embedded in HTML). System.Text.Json still escapes
/// characters outside the BMP (emoji) as surrogate pairs, which any JSON parser reads back unchanged.
/// </summary>
internal static class ProviderJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes what a delivery would POST: the body itself when the transport makes one request, a JSON array of
    /// the bodies in send order when it makes several (robot content split into parts, more than 1000 WeCom users).
    /// </summary>
    public static Task WriteOutboxAsync<T>(Stream destination, IReadOnlyList<T> bodies, CancellationToken cancellationToken) =>
        bodies.Count == 1
            ? JsonSerializer.SerializeAsync(destination, bodies[0], Options, cancellationToken)
            : JsonSerializer.SerializeAsync(destination, bodies, Options, cancellationToken);
}
