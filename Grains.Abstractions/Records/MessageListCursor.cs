using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Notify.Grains.Abstractions.Records;

/// <summary>
/// Where a message list stopped: the creation time and id of the last record returned, as an opaque URL-safe
/// token. The next page starts strictly after it in list order (newest first, id breaking ties), so paging costs
/// an index seek however deep it goes, and records created meanwhile neither shift nor repeat a page.
/// </summary>
public readonly record struct MessageListCursor(DateTimeOffset CreatedAt, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{Id}"));

    public static bool TryDecode(string token, out MessageListCursor cursor)
    {
        cursor = default;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1 ||
            !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
            ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new MessageListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(dot + 1)..]);
        return true;
    }

    /// <summary>Whether a record created at <paramref name="createdAt"/> with <paramref name="id"/> lists after this cursor.</summary>
    public bool Precedes(DateTimeOffset createdAt, string id) =>
        createdAt < CreatedAt || (createdAt == CreatedAt && string.CompareOrdinal(id, Id) < 0);
}
