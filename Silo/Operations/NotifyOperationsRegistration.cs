using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notify.Silo.Gateway.Common;
using Notify.Silo.Gateway.Security;
using Notify.Grains.Telemetry;
using Notify.Silo.Operations.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Notify.Silo.Operations;

/// <summary>What operators live with: metrics, traces, health and the Orleans dashboard.</summary>
public static class NotifyOperationsRegistration
{
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Npgsql's built-in meter (connection pool, command durations); no instrumentation package needed.</summary>
    public const string NpgsqlMeter = "Npgsql";

    /// <summary>The .NET runtime's built-in meter (GC, thread pool, exceptions, …), published since .NET 9.</summary>
    public const string RuntimeMeter = "System.Runtime";

    public static WebApplicationBuilder AddNotifyOperations(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        // MailKit publishes its SMTP and socket meters only once told to. Its meters are process-wide statics, so
        // they are made without the host's meter factory, which would dispose them with the first host.
        MailKit.Telemetry.SmtpClient.Configure();
        MailKit.Telemetry.Socket.Configure();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("notify-silo"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(
                        NotifyMetrics.MeterName,
                        OrleansMeter,
                        NpgsqlMeter,
                        RuntimeMeter,
                        MailKit.Telemetry.SmtpClient.MeterName,
                        MailKit.Telemetry.Socket.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Spans are only recorded when they can go somewhere: recording them for no exporter cost a quarter of the
        // embedded profile's throughput (measured with bench/ email). Any ActivityListener still sees them.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(NotifyMetrics.ActivitySourceName, "Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }

        builder.Services.AddHealthChecks()
            .AddCheck<ClusterReadinessCheck>("cluster", tags: ["ready"]);
        builder.Services.Configure<DashboardOptions>(o => o.HideTrace = true);
        builder.Services.AddNotifyConsole();
        builder.Services.AddHostedService<StateGauges>();
        return builder;
    }

    /// <summary>
    /// Maps, on the HTTP/1.1 port: <c>/healthz</c> (liveness: the process answers), <c>/readyz</c> (503 until the silo is
    /// active and storage answers), <c>/metrics</c> (Prometheus text), all without a key, and <c>/dashboard</c> behind an
    /// admin key (<see cref="DashboardAccess"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapNotifyOperations(this IEndpointRouteBuilder endpoints)
    {
        var http = new GatewaySurface("operations", endpoints.ServiceProvider.GetRequiredService<GatewayPorts>().HttpPort);

        // Probes and scrapers carry no key; these answer a status and counters, no message or caller data.
        endpoints.MapGet("/healthz", () => Results.Json(new { status = "alive" })).OnSurface(http).AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteReadinessAsync,
        }).OnSurface(http).AllowAnonymous();
        endpoints.MapPrometheusScrapingEndpoint("/metrics").OnSurface(http).AllowAnonymous();

        // The dashboard shows grain state and topology: admin key (header or login cookie) only.
        endpoints.MapOrleansDashboard(DashboardAccess.Prefix)
            .OnSurface(http)
            .RequireAuthorization(GatewaySecurityRegistration.DashboardPolicy)
            .WithMetadata(new DashboardEndpointMetadata(DashboardAccess.LoginPath));
        endpoints.MapDashboardLogin(http);
        endpoints.MapNotifyConsole(http);
        return endpoints;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
}
