using System.Security.Claims;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Ownership;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// Who is calling, as the authentication handler established it: a configured key (<see cref="Id"/> is
/// <c>api:&lt;system&gt;</c> or <c>admin:&lt;name&gt;</c>), or anyone on loopback when no keys are configured (<see cref="IsOpen"/>).
/// </summary>
public sealed record GatewayCaller(string Id, bool IsAdmin, string? Source)
{
    public const string AdminRole = "notify-admin";
    public const string CallerRole = "notify-caller";
    public const string SourceClaim = "notify:source";

    /// <summary>The identity of every request when no keys are configured (loopback only).</summary>
    public const string OpenId = "loopback";

    public bool IsOpen => Id == OpenId;

    /// <summary>
    /// What this caller sees and signals: a calling system's key its own source only, an admin key (and the open
    /// loopback gateway) everything. Every read and signal of the application layer goes through it.
    /// </summary>
    public OwnerScope Scope => IsAdmin || Source is null ? OwnerScope.All : OwnerScope.Of(Source);

    public static ClaimsPrincipal Principal(string id, bool isAdmin, string? source, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, id),
            new(ClaimTypes.Role, CallerRole),
        };
        if (isAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        }

        if (source is not null)
        {
            claims.Add(new Claim(SourceClaim, source));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The caller of an authenticated request; endpoints only run once authorization let the request through.</summary>
    public static GatewayCaller From(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } id }
            ? new GatewayCaller(id, user.IsInRole(AdminRole), user.FindFirst(SourceClaim)?.Value)
            : throw new InvalidOperationException("the request reached an endpoint without an authenticated caller");

    /// <summary>
    /// A key bound to a source sends only as that source: an empty <c>source</c> takes it, a different one is
    /// refused (403) rather than rewritten, so a misconfigured caller finds out instead of filing under the wrong name.
    /// The source also scopes request ids, so one system can never replay or block another's.
    /// </summary>
    public NotifyMessage Bind(NotifyMessage message) => message with { Source = BindSource(message.Source) };

    /// <summary>The source a send goes out under: the caller's own, whatever the request says (see <see cref="Bind"/>).</summary>
    public string BindSource(string requested)
    {
        if (Source is null || requested == Source)
        {
            return requested;
        }

        return string.IsNullOrWhiteSpace(requested)
            ? Source
            : throw new GatewayForbiddenException("source", $"this API key sends as '{Source}' only (got '{requested}')");
    }
}

/// <summary>The caller is known but may not do this (HTTP 403, gRPC PERMISSION_DENIED).</summary>
public sealed class GatewayForbiddenException(string field, string reason) : Exception($"{field}: {reason}")
{
    public FieldError Error { get; } = new(field, reason);
}
