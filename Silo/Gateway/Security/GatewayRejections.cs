using System.Globalization;
using System.Text;
using Grpc.Core;
using Notify.Grains.Abstractions.Messages;
using Notify.Silo.Gateway.Common;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// Answers a request refused before it reached its endpoint (no key, wrong key, over the rate limit) in the shape of
/// its surface: BK-CI's <c>Result</c> for REST, a gRPC status for gRPC (a trailers-only response, which every gRPC
/// client reads as the call's status).
/// </summary>
public static class GatewayRejections
{
    /// <summary>The gRPC trailer with the milliseconds to wait before retrying (what gRPC's retry policy reads).</summary>
    public const string RetryPushbackTrailer = "grpc-retry-pushback-ms";

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static Task WriteAsync(HttpContext context, int httpStatus, StatusCode grpcStatus, FieldError error, TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        if (IsGrpc(context.Request))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)grpcStatus).ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = PercentEncode(error.ToString());
            if (retryAfter is { } wait)
            {
                response.Headers[RetryPushbackTrailer] = ((long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        }

        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = RetryAfterSeconds(delay).ToString(CultureInfo.InvariantCulture);
        }

        response.StatusCode = httpStatus;
        return response.WriteAsJsonAsync(ApiErrorResult.From(httpStatus, [error]), GatewayJson.Options);
    }

    /// <summary>Whole seconds, rounded up and at least 1, as HTTP's <c>Retry-After</c> takes them.</summary>
    public static int RetryAfterSeconds(TimeSpan delay) => Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds));

    /// <summary>gRPC's <c>grpc-message</c> encoding: printable ASCII except '%' as is, every other UTF-8 byte as %XX.</summary>
    private static string PercentEncode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
