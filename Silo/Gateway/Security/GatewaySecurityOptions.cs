using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Notify.Silo.Gateway.Security;

/// <summary>
/// <c>Gateway:ApiKeys</c>, <c>Gateway:AdminKeys</c> and <c>Gateway:RateLimit</c>: who may call the gateway, as
/// SHA-256 hashes of their keys (the keys themselves are never configured), and how often.
/// </summary>
public sealed class GatewaySecurityOptions
{
    public const string Section = "Gateway";

    /// <summary>Keys of calling systems, by system name: <c>Gateway:ApiKeys:&lt;system&gt;:Hash</c>.</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Operator keys, by name: <c>Gateway:AdminKeys:&lt;name&gt;:Hash</c>.</summary>
    public Dictionary<string, AdminKeyOptions> AdminKeys { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The rate limit of every key that does not set its own.</summary>
    public RateLimitOptions RateLimit { get; init; } = new();

    public bool HasKeys => ApiKeys.Count > 0 || AdminKeys.Count > 0;
}

/// <summary>One calling system's key.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>SHA-256 of the key, 64 hex digits (<c>notify keys hash &lt;key&gt;</c>).</summary>
    public string Hash { get; init; } = "";

    /// <summary>The <c>source</c> every send with this key carries. The default value is the system name.</summary>
    public string? Source { get; init; }

    /// <summary>Requests per <see cref="Window"/>; unset takes <c>Gateway:RateLimit:PermitLimit</c>.</summary>
    public int? PermitLimit { get; init; }

    /// <summary>Unset takes <c>Gateway:RateLimit:Window</c>.</summary>
    public TimeSpan? Window { get; init; }
}

/// <summary>One operator key: everything a calling system may do, plus <c>/op/*</c>, <c>AdminService</c> and the dashboard.</summary>
public sealed class AdminKeyOptions
{
    /// <summary>SHA-256 of the key, 64 hex digits.</summary>
    public string Hash { get; init; } = "";

    /// <summary>Requests per <see cref="Window"/>; unset takes <c>Gateway:RateLimit:PermitLimit</c>.</summary>
    public int? PermitLimit { get; init; }

    /// <summary>Unset takes <c>Gateway:RateLimit:Window</c>.</summary>
    public TimeSpan? Window { get; init; }
}

/// <summary>A fixed window per key: at most <see cref="PermitLimit"/> requests in each <see cref="Window"/>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a key may make in each <see cref="Window"/>; past it the gateway answers 429 (REST) or RESOURCE_EXHAUSTED (gRPC). The default value is 200.</summary>
    public int PermitLimit { get; init; } = 200;

    /// <summary>The fixed window the limit counts in. The default value is 1 second.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Checks the keys at start-up, naming the key of every bad value, and refuses an open gateway (no keys) on an
/// address other machines can reach.
/// </summary>
public sealed partial class GatewaySecurityOptionsValidator(System.Net.IPAddress listenAddress) : IValidateOptions<GatewaySecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewaySecurityOptions options)
    {
        var errors = new List<string>();
        if (!options.HasKeys && !System.Net.IPAddress.IsLoopback(listenAddress))
        {
            errors.Add($"Gateway:ListenAddress is {listenAddress} but no Gateway:ApiKeys or Gateway:AdminKeys are configured: "
                + "without keys the gateway accepts every caller, so it listens on loopback only (127.0.0.1 or ::1). "
                + "Configure keys (notify keys new) or set Gateway:ListenAddress to 127.0.0.1.");
        }

        var hashes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (system, key) in options.ApiKeys)
        {
            var prefix = $"Gateway:ApiKeys:{system}";
            CheckHash(prefix, key.Hash, hashes, errors);
            CheckLimit(prefix, key.PermitLimit, key.Window, errors);
            var source = key.Source ?? system;
            if (source.Length is 0 or > 64 || source.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors.Add($"{prefix}:Source must be 1-64 characters without spaces (got '{source}')");
            }
        }

        foreach (var (keyName, key) in options.AdminKeys)
        {
            var prefix = $"Gateway:AdminKeys:{keyName}";
            CheckHash(prefix, key.Hash, hashes, errors);
            CheckLimit(prefix, key.PermitLimit, key.Window, errors);
        }

        CheckLimit("Gateway:RateLimit", options.RateLimit.PermitLimit, options.RateLimit.Window, errors);
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    private static void CheckHash(string prefix, string hash, Dictionary<string, string> seen, List<string> errors)
    {
        if (!Sha256Hex().IsMatch(hash))
        {
            // The value may be a key pasted by mistake: never echo it.
            errors.Add($"{prefix}:Hash must be the SHA-256 of the key as 64 hex digits (notify keys hash <key>); got {hash.Length} characters");
            return;
        }

        if (!seen.TryAdd(hash, prefix))
        {
            errors.Add($"{prefix}:Hash is the same as {seen[hash]}:Hash: one key must name one caller");
        }
    }

    private static void CheckLimit(string prefix, int? permitLimit, TimeSpan? window, List<string> errors)
    {
        if (permitLimit is <= 0)
        {
            errors.Add($"{prefix}:PermitLimit must be a positive number of requests (got {permitLimit})");
        }

        if (window is { } span && (span <= TimeSpan.Zero || span > TimeSpan.FromHours(1)))
        {
            errors.Add($"{prefix}:Window must be a time span between 00:00:00.001 and 01:00:00 (got {span})");
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
