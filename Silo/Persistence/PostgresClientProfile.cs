using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Notify.Silo.Persistence;

/// <summary>
/// The client side of the Postgres profile: an external <c>IClusterClient</c> finds the gateways in the
/// membership table (<c>GatewaysQueryKey</c>). Clients never apply the schema; the silos do.
/// </summary>
public static class PostgresClientProfile
{
    public static IClientBuilder UseNotifyPostgresClustering(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);

        client.Services.AddNotifyPostgresOptions(options => options.ConnectionString = connectionString);
        client.UseAdoNetClustering(options => options.Configure<IOptions<NotifyPostgresOptions>>((clustering, notify) =>
        {
            clustering.Invariant = PostgresProfile.Invariant;
            clustering.ConnectionString = notify.Value.ConnectionString;
        }));
        return client;
    }
}
