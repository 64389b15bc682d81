using System.Net;
using Grpc.Core;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// On an open gateway (no keys, loopback only) every local caller is the operator, and a browser on this machine is a
/// local caller: a web page could reach the gateway by DNS rebinding (its own name resolving to 127.0.0.1) or by a
/// cross-site request. Neither can hide what it is: a rebound page's <c>Host</c> is its own name, and a cross-site
/// request carries the page's <c>Origin</c>. So an open gateway answers only requests addressed to a loopback host
/// and, when they say where they come from, from a loopback origin. A gateway with keys needs none of this: a
/// page has no key.
/// </summary>
public static class OpenGatewayBrowserGuard
{
    public static IApplicationBuilder UseOpenGatewayBrowserGuard(this IApplicationBuilder app)
    {
        var keys = app.ApplicationServices.GetRequiredService<GatewayKeyRing>();
        return keys.IsOpen ? app.Use(GuardAsync) : app;
    }

    private static Task GuardAsync(HttpContext context, Func<Task> next) =>
        Refusal(context.Request) is { } error
            ? GatewayRejections.WriteAsync(context, StatusCodes.Status403Forbidden, StatusCode.PermissionDenied, error)
            : next();

    /// <summary>Why an open gateway refuses <paramref name="request"/>, or null when it is addressed to and from loopback.</summary>
    public static FieldError? Refusal(HttpRequest request)
    {
        var host = request.Host;
        if (!host.HasValue || !IsLoopbackHost(host.Host))
        {
            return new FieldError("Host", $"must be a loopback name (localhost, 127.0.0.1, [::1]) on a gateway without API keys; got '{host.Value}'");
        }

        var origins = request.Headers.Origin;
        if (origins.Count > 0 && !(origins.Count == 1 && IsLoopbackOrigin(origins.ToString())))
        {
            return new FieldError("Origin", $"must be a loopback origin (http://localhost, http://127.0.0.1, http://[::1]) on a gateway without API keys; got '{origins}'");
        }

        return null;
    }

    private static bool IsLoopbackOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && IsLoopbackHost(uri.Host);

    /// <summary><c>localhost</c> or a loopback address; IPv6 may come bracketed, as in <c>Host</c> and URIs.</summary>
    private static bool IsLoopbackHost(string host)
    {
        var name = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }
}
