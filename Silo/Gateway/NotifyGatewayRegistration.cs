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
        return app;
    }
}
