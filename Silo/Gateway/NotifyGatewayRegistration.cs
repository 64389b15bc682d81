namespace Notify.Silo.Gateway;

public static class NotifyGatewayRegistration
{
    public static WebApplicationBuilder AddNotifyGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpc();
        return builder;
    }

    public static WebApplication MapNotifyGateway(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        return app;
    }
}
