using Notify.IntegrationTests.Infrastructure.Host;
using Notify.Silo.Gateway.Security;

namespace Notify.IntegrationTests.Gateway;

/// <summary>
/// The real host with two calling systems (<c>ci</c> and <c>other</c>, bound to <c>other-system</c>), systems whose
/// limits are small enough to reach with a few deliveries (<c>quota</c>, <c>quota-grpc</c>, <c>quota-action</c>), and an
/// operator key.
/// </summary>
public sealed class TenancyHostFixture : IAsyncLifetime
{
    public const string CiKey = "tenancy-ci-key-5c1e9a7b3d2f4e6a8b0c";
    public const string OtherKey = "tenancy-other-key-7d3b1f9e5a2c4b6d8e0f";
    public const string QuotaKey = "tenancy-quota-key-2a4c6e8b0d1f3a5c7e9b";
    public const string QuotaGrpcKey = "tenancy-quota-grpc-key-4b6d8f0a2c3e5a7c9e1d";
    public const string QuotaActionKey = "tenancy-quota-action-key-6f8a0c2e4b5d7f9a1c3e";
    public const string AdminKey = "tenancy-admin-key-9e7c5a3b1d0f2e4c6a8d";

    /// <summary>Notify:Actions:MaxReceiversPerWay on this host.</summary>
    public const int MaxReceiversPerWay = 5;

    public const string OtherSource = "other-system";

    /// <summary>
    /// Deliveries (and requests) each quota key may make per <see cref="QuotaWindow"/>, cluster-wide: a token every 50 s,
    /// so a test's calls on a loaded machine see no refill.
    /// </summary>
    public const int QuotaPermits = 12;

    public const string QuotaWindow = "00:10:00";

    private NotifyTestHost? _host;

    public NotifyTestHost Host => _host ?? throw new InvalidOperationException("the host has not started");

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:ApiKeys:ci:Hash"] = GatewayKeyRing.HashOf(CiKey),
        ["Gateway:ApiKeys:other:Hash"] = GatewayKeyRing.HashOf(OtherKey),
        ["Gateway:ApiKeys:other:Source"] = OtherSource,
        ["Gateway:ApiKeys:quota:Hash"] = GatewayKeyRing.HashOf(QuotaKey),
        ["Gateway:ApiKeys:quota:PermitLimit"] = QuotaPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:ApiKeys:quota:Window"] = QuotaWindow,
        ["Gateway:ApiKeys:quota-grpc:Hash"] = GatewayKeyRing.HashOf(QuotaGrpcKey),
        ["Gateway:ApiKeys:quota-grpc:PermitLimit"] = QuotaPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:ApiKeys:quota-grpc:Window"] = QuotaWindow,
        ["Gateway:ApiKeys:quota-action:Hash"] = GatewayKeyRing.HashOf(QuotaActionKey),
        ["Gateway:ApiKeys:quota-action:PermitLimit"] = QuotaPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:ApiKeys:quota-action:Window"] = QuotaWindow,
        ["Notify:Actions:MaxReceiversPerWay"] = MaxReceiversPerWay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notify:Actions:MinNotifyIntervalSeconds"] = "60",
        ["Gateway:AdminKeys:ops:Hash"] = GatewayKeyRing.HashOf(AdminKey),
        ["Gateway:RateLimit:PermitLimit"] = "100000",
    };

    public async ValueTask InitializeAsync() => _host = await NotifyTestHost.StartAsync(Settings);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
