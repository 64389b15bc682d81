using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notify.Grains.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Notify.Silo.Operations;

/// <summary>What operators live with: metrics, traces, health and the Orleans dashboard.</summary>
public static class NotifyOperationsRegistration
{
    public const string OrleansMeter = "Microsoft.Orleans";

    public static WebApplicationBuilder AddNotifyOperations(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("notify-silo"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(NotifyMetrics.MeterName, OrleansMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(NotifyMetrics.ActivitySourceName, "Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });

        builder.Services.AddHealthChecks()
            .AddCheck<ClusterReadinessCheck>("cluster", tags: ["ready"]);
        builder.Services.Configure<DashboardOptions>(o => o.HideTrace = true);
        return builder;
    }

    /// <summary>Maps <c>/metrics</c>, <c>/healthz</c> (liveness: the process answers), <c>/readyz</c> and <c>/dashboard</c>.</summary>
    public static IEndpointRouteBuilder MapNotifyOperations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        endpoints.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });
        endpoints.MapOrleansDashboard("/dashboard");
        return endpoints;
    }
}
