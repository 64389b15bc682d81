using System.Security.Cryptography;
using System.Text;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Delivery;

/// <summary>
/// BK-CI's CONTENT_MD5: MD5 (hex) of the normalized title and body. Normalizing line endings and trailing
/// whitespace keeps the same notice from two callers equal; the title counts on every channel that has one
/// (BK-CI dropped the e-mail subject, so two different subjects with one body suppressed each other).
/// </summary>
public static class ContentHash
{
    public static string Compute(NotifyMessage message) => Compute(message.Title, message.Body);

    public static string Compute(string title, string body)
    {
        var text = Normalize(title) + "\n\u001f\n" + Normalize(body);
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Normalize(string value)
    {
        var lines = value.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        return string.Join('\n', lines.Select(line => line.TrimEnd())).Trim();
    }
}
