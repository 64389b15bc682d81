using Microsoft.Net.Http.Headers;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// A JSON body must say it is JSON. A browser page may POST <c>text/plain</c> or a form to any address without asking
/// first (a "simple" cross-site request), but not <c>application/json</c>: requiring it keeps web pages from driving
/// the gateway with bodies the REST paths would otherwise read.
/// </summary>
public static class JsonContentType
{
    public const string HeaderName = "Content-Type";

    /// <summary>Throws <see cref="UnsupportedMediaTypeException"/> unless the request is <c>application/json</c> or <c>application/*+json</c>, in UTF-8.</summary>
    public static void Require(HttpRequest request)
    {
        if (Refusal(request.ContentType) is { } reason)
        {
            throw new UnsupportedMediaTypeException(new FieldError(HeaderName, reason));
        }
    }

    /// <summary>Why <paramref name="contentType"/> is not a JSON body's, or null when it is.</summary>
    public static string? Refusal(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "is missing; a JSON body needs Content-Type: application/json";
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || (mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))))
        {
            return $"must be application/json (or application/*+json) for a JSON body; got '{contentType}'";
        }

        // The body is parsed as UTF-8 (JSON's only interchange encoding, RFC 8259), so another charset would be misread.
        if (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !mediaType.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return $"charset must be utf-8 for a JSON body; got '{contentType}'";
        }

        return null;
    }
}

/// <summary>The body is not in a media type the endpoint reads (HTTP 415).</summary>
public sealed class UnsupportedMediaTypeException(FieldError error) : Exception(error.ToString())
{
    public FieldError Error { get; } = error;
}
