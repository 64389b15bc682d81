using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Notify.Silo.Gateway.Security;

/// <summary>What a key may do: call the notify APIs, or also the operator ones.</summary>
public enum GatewayKeyKind
{
    Caller,
    Admin,
}

/// <summary>A configured key, without the key: its name, kind, bound source and rate limit.</summary>
public sealed record GatewayKey(string Name, GatewayKeyKind Kind, string? Source, byte[] Hash, int PermitLimit, TimeSpan Window)
{
    /// <summary>The rate-limit partition and the identity's name: <c>api:ci</c>, <c>admin:ops</c>.</summary>
    public string Id => $"{(Kind == GatewayKeyKind.Admin ? "admin" : "api")}:{Name}";
}

/// <summary>
/// The configured keys, looked up by the SHA-256 of the presented key. Every entry is compared in constant time,
/// so the answer's timing says nothing about which hash bytes matched. SHA-256 (not a slow password hash) is right
/// for API keys: they are random and long (<c>notify keys new</c> makes 256-bit ones), so there is nothing to guess.
/// </summary>
public sealed class GatewayKeyRing
{
    private readonly IReadOnlyList<GatewayKey> _keys;

    public GatewayKeyRing(IOptions<GatewaySecurityOptions> options)
    {
        var value = options.Value;
        var defaults = value.RateLimit;
        _keys =
        [
            .. value.ApiKeys.Select(k => new GatewayKey(k.Key, GatewayKeyKind.Caller, k.Value.Source ?? k.Key, Convert.FromHexString(k.Value.Hash),
                k.Value.PermitLimit ?? defaults.PermitLimit, k.Value.Window ?? defaults.Window)),
            .. value.AdminKeys.Select(k => new GatewayKey(k.Key, GatewayKeyKind.Admin, null, Convert.FromHexString(k.Value.Hash),
                k.Value.PermitLimit ?? defaults.PermitLimit, k.Value.Window ?? defaults.Window)),
        ];
    }

    /// <summary>No keys configured: the gateway is open, and listens on loopback only.</summary>
    public bool IsOpen => _keys.Count == 0;

    public GatewayKey? Find(string presentedKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        GatewayKey? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = key;
            }
        }

        return found;
    }

    public GatewayKey? FindById(string id) => _keys.FirstOrDefault(k => k.Id == id);

    /// <summary>The hash to configure for <paramref name="key"/>: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
