using System.Buffers.Text;
using System.Text;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Records;

/// <summary>
/// One page of a list ordered by key (ordinal): <paramref name="NextCursor"/>, for <c>after</c>, is null on the last
/// page. Entries added or removed meanwhile neither shift nor repeat a page.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.KeysetPage`1")]
public sealed record KeysetPage<T>([property: Id(0)] IReadOnlyList<T> Items, [property: Id(1)] string? NextCursor);

/// <summary>The keyset cursor of key-ordered lists: the last key returned, as an opaque URL-safe token.</summary>
public static class KeysetCursor
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey));

    /// <summary>The key a page starts after, or a field error for <c>after</c>/<c>pageSize</c>.</summary>
    public static IReadOnlyList<FieldError> Validate(string? after, int pageSize, out string? afterKey)
    {
        var errors = new List<FieldError>();
        afterKey = null;
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new FieldError("pageSize", $"must be between 1 and {MaxPageSize} (got {pageSize})"));
        }

        if (!string.IsNullOrEmpty(after))
        {
            try
            {
                afterKey = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(after));
            }
            catch (FormatException)
            {
                errors.Add(new FieldError("after", "is not a cursor this list returned (use nextCursor of the previous page)"));
            }
        }

        return errors;
    }

    /// <summary>The page of <paramref name="ordered"/> keys after <paramref name="afterKey"/>, and the cursor to the next one.</summary>
    public static KeysetPage<string> Page(IEnumerable<string> ordered, string? afterKey, int pageSize)
    {
        var keys = ordered.Where(k => afterKey is null || string.CompareOrdinal(k, afterKey) > 0).Take(pageSize + 1).ToList();
        var more = keys.Count > pageSize;
        if (more)
        {
            keys.RemoveAt(pageSize);
        }

        return new KeysetPage<string>(keys, more ? Encode(keys[^1]) : null);
    }
}
