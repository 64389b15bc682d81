using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Channels;
using Notify.Grains.Channels.RateLimits;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// Per-key limits that count what costs and hold for the whole cluster. Each key's <c>PermitLimit</c> per <c>Window</c>
/// (else <c>Gateway:RateLimit</c>) is one token budget in a limiter grain (<see cref="GrainKeys.SourceLimiter"/>,
/// the same <see cref="IProviderLimiterGrain"/> and <see cref="LeasedRateLimiter"/> that hold providers' quotas), which
/// leases tokens to each silo: N silos together never grant more than the budget. A request costs one token; a send
/// costs one per delivery (receivers, cc and bcc, times channels for a template send), taken before it is accepted;
/// an action instance's notices are charged to its owner's budget as they go out (<c>ActionInstanceGrain</c>). A
/// system key's budget is its source's, so an instance, which knows only its owner's source, charges the right one.
/// The budget is a token bucket that refills continuously and holds at most one window's worth.
/// Over the limit: 429 with <c>Retry-After</c>, or gRPC <c>RESOURCE_EXHAUSTED</c> with <c>grpc-retry-pushback-ms</c>.
/// Unauthenticated endpoints (health, metrics) and the open loopback gateway are not limited.
/// </summary>
public sealed class GatewayRateLimits(IGrainFactory grains, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>
    /// How much of a key's budget a silo leases at a time, as a share of the window: short spreads the budget more
    /// evenly between silos, long makes fewer grain calls (the providers' limiters use the same 100 ms).
    /// </summary>
    public static readonly TimeSpan LeaseWindow = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, LeasedRateLimiter> _limiters = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="permits"/> of <paramref name="key"/>'s budget, or says how long to wait for them.</summary>
    public ValueTask<TimeSpan?> TryTakeAsync(GatewayKey key, int permits) => Limiter(key).TryAcquireNowAsync(permits);

    /// <summary>
    /// The deliveries of one send, beyond the one token its request cost; refused with <see cref="GatewayRateLimitedException"/>
    /// (nothing is accepted) when the budget does not have them.
    /// </summary>
    public async Task TakeDeliveriesAsync(GatewayCaller caller, int deliveries, GatewayKeyRing keys)
    {
        if (deliveries <= 1 || keys.FindById(caller.Id) is not { } key)
        {
            return;
        }

        if (deliveries > key.PermitLimit)
        {
            throw new GatewayRateLimitedException(
                new FieldError("rateLimit", $"this send has {deliveries} deliveries, more than {key.Id}'s limit of {key.PermitLimit} per {key.Window}; send it in parts"),
                key.Window);
        }

        if (await TryTakeAsync(key, deliveries - 1) is { } wait)
        {
            throw new GatewayRateLimitedException(
                new FieldError("rateLimit", $"{key.Id} is over its limit of {key.PermitLimit} deliveries per {key.Window}: this send has {deliveries}; retry after {GatewayRejections.RetryAfterSeconds(wait)} s"),
                wait);
        }
    }

    private LeasedRateLimiter Limiter(GatewayKey key) => _limiters.GetOrAdd(key.Id, _ => new LeasedRateLimiter(
        grains.GetGrain<IProviderLimiterGrain>(key.Kind == GatewayKeyKind.Caller ? GrainKeys.SourceLimiter(key.Source!) : GrainKeys.AdminKeyLimiter(key.Id)),
        new ChannelRateLimit(key.PermitLimit, key.Window, key.Id),
        LeaseWindow,
        time,
        loggers.CreateLogger<LeasedRateLimiter>()));
}

/// <summary>The caller's key is over its limit (HTTP 429 with <c>Retry-After</c>, gRPC RESOURCE_EXHAUSTED with a pushback).</summary>
public sealed class GatewayRateLimitedException(FieldError error, TimeSpan retryAfter) : Exception(error.ToString())
{
    public FieldError Error { get; } = error;

    public TimeSpan RetryAfter { get; } = retryAfter;
}

public static class GatewayRateLimiting
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services) =>
        services.AddSingleton<GatewayRateLimits>();

    /// <summary>One token per request of a configured key, before the endpoint runs.</summary>
    public static IApplicationBuilder UseGatewayRateLimiting(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var keys = context.RequestServices.GetRequiredService<GatewayKeyRing>();
            if (context.User.Identity is { IsAuthenticated: true, Name: { } id } && keys.FindById(id) is { } key
                && await context.RequestServices.GetRequiredService<GatewayRateLimits>().TryTakeAsync(key, 1) is { } wait)
            {
                await GatewayRejections.WriteAsync(context, StatusCodes.Status429TooManyRequests, StatusCode.ResourceExhausted,
                    new FieldError("rateLimit", string.Create(CultureInfo.InvariantCulture,
                        $"{key.Id} is over its limit of {key.PermitLimit} deliveries per {key.Window} (a request costs 1, a send 1 per delivery); retry after {GatewayRejections.RetryAfterSeconds(wait)} s")),
                    wait);
                return;
            }

            await next(context);
        });
}
