using System.Net.Http.Headers;
using Grpc.Core;
using Notify.Silo.Gateway.Security;

namespace Notify.IntegrationTests.Infrastructure.Host;

/// <summary>
/// The real host with keys configured: two calling systems bound to their sources, one with a tiny rate limit, and
/// an operator key. The keys are known here; the host sees only their hashes.
/// </summary>
public sealed class SecuredHostFixture : IAsyncLifetime
{
    public const string CiKey = "ci-key-3f9a1c7e5b2d4f60a8e1c3b5d7f9a2c4";
    public const string OtherKey = "other-key-9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e";
    public const string LimitedKey = "limited-key-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d";
    public const string AdminKey = "admin-key-e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9";

    /// <summary>Requests the limited key may make per window.</summary>
    public const int LimitedPermits = 3;

    private NotifyTestHost? _host;

    public NotifyTestHost Host => _host ?? throw new InvalidOperationException("the host has not started");

    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:ApiKeys:ci:Hash"] = GatewayKeyRing.HashOf(CiKey),
        ["Gateway:ApiKeys:other:Hash"] = GatewayKeyRing.HashOf(OtherKey),
        ["Gateway:ApiKeys:other:Source"] = "other-system",
        ["Gateway:ApiKeys:limited:Hash"] = GatewayKeyRing.HashOf(LimitedKey),
        ["Gateway:ApiKeys:limited:PermitLimit"] = LimitedPermits.ToString(),
        ["Gateway:ApiKeys:limited:Window"] = "00:01:00",
        ["Gateway:AdminKeys:ops:Hash"] = GatewayKeyRing.HashOf(AdminKey),
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

/// <summary>A request with or without an <c>x-api-key</c>.</summary>
public static class ApiKeys
{
    public const string Header = "x-api-key";

    public static HttpRequestMessage WithKey(this HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(Header, key);
        }

        return request;
    }

    public static Metadata? Metadata(string? key) => key is null ? null : new Metadata { { Header, key } };

    public static HttpRequestMessage JsonPost(string path, string json, string? key) =>
        new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, new MediaTypeHeaderValue("application/json")) }.WithKey(key);
}
