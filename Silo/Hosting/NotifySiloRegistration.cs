using Notify.Grains;
using Notify.Silo.Hosting.Tls;
using Notify.Silo.Persistence;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Notify.Silo.Hosting;

public static class NotifySiloRegistration
{
    /// <summary>The Orleans silo on the chosen profile, and the grains' services.</summary>
    public static WebApplicationBuilder AddNotifySilo(this WebApplicationBuilder builder, NotifyHostOptions host)
    {
        var transport = OrleansTransportSecurity.Read(builder.Configuration, host, TimeProvider.System);
        builder.Services.AddSingleton(transport);
        builder.Services.AddHostedService<TransportSecurityLog>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = host.ClusterId;
                o.ServiceId = host.ServiceId;
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = host.MinimumReminderPeriod);

            // Operators (and the failover tests) tune liveness and timeouts without code: Orleans:Membership, Orleans:Messaging.
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
            silo.Configure<SiloMessagingOptions>(builder.Configuration.GetSection("Orleans:Messaging"));
            silo.AddActivityPropagation();
            silo.AddDashboard();
            if (transport.IsEnabled)
            {
                silo.UseTls(transport.Configure);
            }

            switch (host.Profile)
            {
                case StorageProfile.Embedded:
                    silo.UseLocalhostClustering(host.SiloPort, host.GatewayPort, serviceId: host.ServiceId, clusterId: host.ClusterId);
                    silo.AddMemoryGrainStorage(NotifyStorage.Name);
                    silo.UseInMemoryReminderService();
                    break;
                case StorageProfile.Postgres:
                    silo.ConfigureEndpoints(host.AdvertisedIp, host.SiloPort, host.GatewayPort, listenOnAnyHostAddress: !host.AdvertisedIp.Equals(System.Net.IPAddress.Loopback));
                    silo.UseNotifyPostgres(host.ConnectionString!);
                    break;
            }
        });

        builder.Services.AddNotifyGrains(builder.Configuration);
        return builder;
    }
}
