using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Notify.Silo.Hosting;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// API keys (authentication), what each kind of key may call (authorization policies) and rate limits, for REST,
/// gRPC and the dashboard alike. Every endpoint needs a caller key unless it opts out with <c>AllowAnonymous</c>
/// (health, metrics): an area added later is protected without doing anything.
/// </summary>
public static partial class GatewaySecurityRegistration
{
    /// <summary>Any valid key (a calling system's or an operator's).</summary>
    public const string CallerPolicy = "notify-caller";

    /// <summary>An operator key: <c>/op/*</c> and <c>notify.v1.AdminService</c>.</summary>
    public const string AdminPolicy = "notify-admin";

    /// <summary>An operator key in the <c>x-api-key</c> header or the dashboard's login cookie.</summary>
    public const string DashboardPolicy = "notify-dashboard";

    public const string DashboardCookieScheme = "DashboardCookie";

    public static WebApplicationBuilder AddGatewaySecurity(this WebApplicationBuilder builder)
    {
        var listenAddress = NotifyHostOptions.Read(builder.Configuration).ListenAddress;
        builder.Services.AddOptions<GatewaySecurityOptions>()
            .Bind(builder.Configuration.GetSection(GatewaySecurityOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewaySecurityOptions>>(new GatewaySecurityOptionsValidator(listenAddress));
        builder.Services.AddSingleton<GatewayKeyRing>();
        builder.Services.AddHostedService<OpenGatewayWarning>();

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(DashboardCookieScheme, cookie =>
            {
                cookie.Cookie.Name = "notify-dashboard";
                cookie.Cookie.Path = "/dashboard";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
            });

        var caller = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireRole(GatewayCaller.CallerRole).Build();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(caller)
            .AddPolicy(CallerPolicy, caller)
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(GatewayCaller.AdminRole))
            .AddPolicy(DashboardPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, DashboardCookieScheme).RequireRole(GatewayCaller.AdminRole));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GatewayAuthorizationResultHandler>();
        builder.Services.AddGatewayRateLimiting();
        return builder;
    }

    /// <summary>
    /// After the surface check (a wrong port is 404 whoever asks): an open gateway refuses browsers' requests, then
    /// who is calling, may they, and how often.
    /// </summary>
    public static IApplicationBuilder UseGatewaySecurity(this IApplicationBuilder app) =>
        app.UseOpenGatewayBrowserGuard().UseAuthentication().UseAuthorization().UseGatewayRateLimiting();

    /// <summary>Says once, at start, that a gateway without keys lets every local caller in.</summary>
    private sealed partial class OpenGatewayWarning(GatewayKeyRing keys, ILogger<OpenGatewayWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (keys.IsOpen)
            {
                LogOpenGateway(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "No Gateway:ApiKeys or Gateway:AdminKeys are configured: every caller on this machine may use the gateway, its operator APIs and the dashboard without a key. The gateway listens on loopback only; configure keys before exposing it")]
        private static partial void LogOpenGateway(ILogger logger);
    }
}
