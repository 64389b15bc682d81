using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.AspNetCore.RateLimiting;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// One fixed window per key (its own <c>PermitLimit</c>/<c>Window</c>, else <c>Gateway:RateLimit</c>), so a flood from
/// one key never slows another. Unauthenticated endpoints (health, metrics) and the open loopback gateway are not
/// limited. Over the limit: 429 with <c>Retry-After</c>, or gRPC <c>RESOURCE_EXHAUSTED</c> with
/// <c>grpc-retry-pushback-ms</c>.
/// </summary>
public static class GatewayRateLimiting
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<GatewayKeyRing>((options, keys) =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, keys));
            options.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, GatewayKeyRing keys)
    {
        var id = context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;
        if (id is null || keys.FindById(id) is not { } key)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        return RateLimitPartition.GetFixedWindowLimiter(key.Id, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = key.PermitLimit,
            Window = key.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var key = context.RequestServices.GetRequiredService<GatewayKeyRing>().FindById(context.User.Identity!.Name!)!;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : key.Window;
        await GatewayRejections.WriteAsync(context, StatusCodes.Status429TooManyRequests, StatusCode.ResourceExhausted,
            new FieldError("rateLimit", $"{key.Id} is over its limit of {key.PermitLimit} requests per {key.Window}; retry after {GatewayRejections.RetryAfterSeconds(retryAfter)} s"),
            retryAfter);
    }
}
