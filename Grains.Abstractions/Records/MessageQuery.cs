namespace Notify.Grains.Abstractions.Records;

/// <summary>Filters of <c>GET /service/notify/messages</c>; every filter is optional and they combine with AND.</summary>
[GenerateSerializer, Immutable, Alias("notify.MessageQuery")]
public sealed record MessageQuery
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// Records a numbered page may skip: an offset makes the database walk every skipped row, so deep pages go by
    /// cursor (<see cref="After"/>), which seeks.
    /// </summary>
    public const int MaxOffset = 10_000;

    [Id(0)] public NotifyChannel? Channel { get; init; }

    [Id(1)] public MessageStatus? Status { get; init; }

    /// <summary>Exact receiver (as written by the caller, or the address it resolved to).</summary>
    [Id(2)] public string? Receiver { get; init; }

    [Id(3)] public string? Source { get; init; }

    /// <summary>Created at or after (inclusive).</summary>
    [Id(4)] public DateTimeOffset? From { get; init; }

    /// <summary>Created before (exclusive).</summary>
    [Id(5)] public DateTimeOffset? To { get; init; }

    /// <summary>1-based.</summary>
    [Id(6)] public int Page { get; init; } = 1;

    [Id(7)] public int PageSize { get; init; } = 50;

    /// <summary>
    /// A <see cref="MessagePage.NextCursor"/>: the page starts right after it, found by index rather than by
    /// skipping rows, and is never counted. Cannot be combined with a <see cref="Page"/> other than 1.
    /// </summary>
    [Id(8)] public string? After { get; init; }

    /// <summary>
    /// Whether to count every matching record (<see cref="MessagePage.Total"/>), a scan that grows with the table.
    /// Kept for the page-numbered callers; ignored (never counted) with <see cref="After"/>.
    /// </summary>
    [Id(9)] public bool CountTotal { get; init; } = true;

    /// <summary>The decoded <see cref="After"/>; call only once <see cref="Validate"/> found no error.</summary>
    public MessageListCursor? AfterCursor =>
        After is null ? null : MessageListCursor.TryDecode(After, out var cursor) ? cursor : throw new InvalidOperationException("invalid cursor: validate the query first");

    /// <summary>Whether the total is counted for this query.</summary>
    public bool CountsTotal => CountTotal && After is null;

    public IReadOnlyList<Messages.FieldError> Validate()
    {
        var errors = new List<Messages.FieldError>();
        if (Page < 1)
        {
            errors.Add(new("page", $"must be 1 or more (got {Page})"));
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            errors.Add(new("pageSize", $"must be between 1 and {MaxPageSize} (got {PageSize})"));
        }

        if (From is { } from && To is { } to && from >= to)
        {
            errors.Add(new("from", "must be earlier than to"));
        }

        if (After is not null && !MessageListCursor.TryDecode(After, out _))
        {
            errors.Add(new("after", "is not a cursor this service returned"));
        }

        if (Page > 1 && PageSize is >= 1 and <= MaxPageSize && (Page - 1L) * PageSize > MaxOffset)
        {
            errors.Add(new("page", $"would skip {(Page - 1L) * PageSize} records, more than {MaxOffset}: page on with after=<nextCursor of the page before>, which seeks instead of skipping"));
        }

        if (After is not null && Page != 1)
        {
            errors.Add(new("page", "cannot be combined with after"));
        }

        if (Receiver is { Length: > Messages.NotifyLimits.MaxAddressLength })
        {
            errors.Add(new("receiver", $"is longer than {Messages.NotifyLimits.MaxAddressLength} characters"));
        }

        return errors;
    }
}

/// <summary>
/// One page of records, newest first. <see cref="Total"/> is null when it was not counted;
/// <see cref="NextCursor"/> is null on the last page.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.MessagePage")]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<MessageRecord> Items,
    [property: Id(1)] long? Total,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize,
    [property: Id(4)] string? NextCursor);

/// <summary>One message as seen from one receiver: the answer to "why didn't X get it".</summary>
[GenerateSerializer, Immutable, Alias("notify.ReceiverHistoryEntry")]
public sealed record ReceiverHistoryEntry(
    [property: Id(0)] string MessageId,
    [property: Id(1)] NotifyChannel Channel,
    [property: Id(2)] string Title,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] MessageStatus MessageStatus,
    [property: Id(5)] ReceiverOutcome Outcome,
    [property: Id(6)] string Explanation);
