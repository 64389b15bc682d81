using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// Authenticates the <c>x-api-key</c> header, which is also how gRPC metadata arrives, so one handler serves both
/// surfaces. With no keys configured every request is the loopback operator (the gateway then listens on loopback
/// only). A missing key is "no result", a wrong one a failure whose message is the reason; <see cref="GatewayAuthorizationResultHandler"/> words both.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    GatewayKeyRing keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "x-api-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.IsOpen)
        {
            return Task.FromResult(Success(GatewayCaller.OpenId, isAdmin: true, source: null));
        }

        var values = Request.Headers[HeaderName];
        if (values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count > 1)
        {
            return Task.FromResult(AuthenticateResult.Fail("is given more than once"));
        }

        if (keys.Find(values.ToString()) is not { } key)
        {
            LogKeyRejected(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Task.FromResult(AuthenticateResult.Fail("is not a valid key"));
        }

        return Task.FromResult(Success(key.Id, key.Kind == GatewayKeyKind.Admin, key.Source));
    }

    private AuthenticateResult Success(string id, bool isAdmin, string? source) =>
        AuthenticateResult.Success(new AuthenticationTicket(GatewayCaller.Principal(id, isAdmin, source, SchemeName), SchemeName));

    // The key itself is never logged, not even in part.
    [LoggerMessage(Level = LogLevel.Information, Message = "A request from {RemoteAddress} presented an API key that matches no configured key")]
    private static partial void LogKeyRejected(ILogger logger, string remoteAddress);
}
