using System.Globalization;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Records;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// Reads query strings strictly, naming the parameter in every error: an unknown parameter, one given twice or a value
/// that does not parse is refused, never ignored.
/// </summary>
public sealed class QueryParameters
{
    private readonly IQueryCollection _query;

    private QueryParameters(IQueryCollection query) => _query = query;

    /// <summary>Refuses parameters outside <paramref name="allowed"/> (compared case-insensitively).</summary>
    public static QueryParameters Read(HttpRequest request, params string[] allowed)
    {
        var unknown = request.Query.Keys.Where(k => !allowed.Contains(k, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (unknown.Length > 0)
        {
            throw NotifyRequestException.Invalid(unknown.Select(k => new FieldError(k, $"unknown parameter '{k}' (expected one of {string.Join(", ", allowed)})")).ToArray());
        }

        return new QueryParameters(request.Query);
    }

    public string? Text(string name)
    {
        var values = _query[name];
        if (values.Count > 1)
        {
            throw NotifyRequestException.Invalid(name, "is given more than once");
        }

        return string.IsNullOrWhiteSpace(values.ToString()) ? null : values.ToString().Trim();
    }

    public bool? Boolean(string name) => Text(name) is { } text
        ? bool.TryParse(text, out var value) ? value : throw NotifyRequestException.Invalid(name, $"expected true or false (got '{text}')")
        : null;

    public int? Integer(string name) => Text(name) is { } text
        ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw NotifyRequestException.Invalid(name, $"expected an integer (got '{text}')")
        : null;

    /// <summary>ISO 8601 (<c>2026-11-23T10:00:00Z</c>; no offset means UTC) or Unix milliseconds, as BK-CI's records use.</summary>
    public DateTimeOffset? Instant(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : throw NotifyRequestException.Invalid(name, $"'{text}' is out of range");
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw NotifyRequestException.Invalid(name, $"expected an ISO 8601 time or Unix milliseconds (got '{text}')");
    }

    public NotifyChannel? Channel(string name) => Text(name) is { } text
        ? NotifyChannels.TryParse(text, out var channel) ? channel : throw NotifyRequestException.Invalid(name, $"must be one of {string.Join(", ", NotifyChannels.All.Select(c => c.Name()))} (got '{text}')")
        : null;

    public MessageStatus? Status(string name) => Text(name) is { } text
        ? WireEnums.TryParseMessageStatus(text, out var status) ? status : throw NotifyRequestException.Invalid(name, $"must be one of {string.Join(", ", Enum.GetValues<MessageStatus>().Select(WireEnums.Name))} (got '{text}')")
        : null;
}
