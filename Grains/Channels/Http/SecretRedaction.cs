using System.Security.Cryptography;
using System.Text;

namespace Notify.Grains.Channels.Http;

/// <summary>
/// Removes credentials from provider-supplied text (an errmsg, a gateway message) before it becomes part of an
/// exception or a log line: some gateways echo the request, and the records keep the error text for good.
/// </summary>
internal static class SecretRedaction
{
    public const string Mask = "***";

    public static string Redact(string text, params ReadOnlySpan<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>A short, stable name for a secret (the first 16 hex digits of its SHA-256), for keys and logs.</summary>
    public static string Digest(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];
}
