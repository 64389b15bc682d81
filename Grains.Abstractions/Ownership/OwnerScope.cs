using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Records;

namespace Notify.Grains.Abstractions.Ownership;

/// <summary>
/// What a caller may see and signal, decided in this one place: every message and action instance belongs to the
/// <c>source</c> it was created under (a calling system's key binds it). A system's scope holds its own source only;
/// an operator's (admin key, the open loopback gateway, the trusted Orleans client) holds every source.
/// Someone else's message or instance is "not found" rather than "forbidden", so an id says nothing about who owns it.
/// Addresses a username resolved to come from the operator-only contact directory, so only an operator sees them.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.OwnerScope")]
public sealed record OwnerScope([property: Id(0)] string? Source)
{
    /// <summary>Every source: operators and the trusted in-cluster Orleans client.</summary>
    public static readonly OwnerScope All = new((string?)null);

    public static OwnerScope Of(string source) => new(source);

    public bool SeesAll => Source is null;

    /// <summary>Addresses resolved from the contact directory, which only operators may read.</summary>
    public bool SeesResolvedAddresses => SeesAll;

    public bool Owns(string? source) => SeesAll || string.Equals(source, Source, StringComparison.Ordinal);

    /// <summary>
    /// The source whose action instance a call names (instances are keyed by owner and id): a system's own, or null when
    /// it names another source (answer 404, as for an unknown id); an operator's the one it names, else
    /// <see cref="ActionKeys.DefaultSource"/>.
    /// </summary>
    public string? ActionOwner(string? requested) =>
        string.IsNullOrWhiteSpace(requested) ? Source ?? ActionKeys.DefaultSource
        : Owns(requested.Trim()) ? requested.Trim()
        : null;

    /// <summary>The record as this scope may see it, or null when it is someone else's (answer 404).</summary>
    public MessageRecord? Visible(MessageRecord? record) =>
        record is null || !Owns(record.Message.Source) ? null : Redact(record);

    /// <summary>
    /// The query narrowed to this scope's source, or null when it asks for another source only (an empty answer:
    /// a filter on someone else's source matches none of this caller's messages).
    /// </summary>
    public MessageQuery? Restrict(MessageQuery query) =>
        SeesAll ? query
        : query.Source is null ? query with { Source = Source }
        : Owns(query.Source) ? query
        : null;

    /// <summary>
    /// Whether <paramref name="outcome"/> answers a why-not question about <paramref name="receiver"/>: an operator
    /// matches the resolved address too, a system only the receiver as it wrote it (else asking about an address would
    /// tell which username it belongs to).
    /// </summary>
    public bool Matches(MessageRecord record, ReceiverOutcome outcome, string receiver)
    {
        var wanted = GrainKeys.NormalizeAddress(record.Channel, receiver);
        return GrainKeys.NormalizeAddress(record.Channel, outcome.Receiver) == wanted
            || (SeesResolvedAddresses && outcome.Address is { } address && GrainKeys.NormalizeAddress(record.Channel, address) == wanted);
    }

    /// <summary>
    /// A copy without the addresses usernames resolved to (also where a provider's error quotes one), for a scope
    /// that may not see them; the record itself when it may.
    /// </summary>
    public MessageRecord Redact(MessageRecord record)
    {
        var resolved = record.Receivers.Where(r => IsResolved(r)).ToArray();
        if (SeesResolvedAddresses || resolved.Length == 0)
        {
            return record;
        }

        return new MessageRecord
        {
            Id = record.Id,
            Message = record.Message,
            Status = record.Status,
            Receivers = record.Receivers.Select(r => Redact(r, resolved)).ToList(),
            ContentMd5 = record.ContentMd5,
            Attempts = record.Attempts,
            RetryCount = record.RetryCount,
            LastError = HideAddresses(record.LastError, resolved),
            CreatedAt = record.CreatedAt,
            UpdatedAt = record.UpdatedAt,
            NextAttemptAt = record.NextAttemptAt,
            CompletedAt = record.CompletedAt,
            PossibleDuplicate = record.PossibleDuplicate,
            RequestId = record.RequestId,
            AttemptStartedAt = record.AttemptStartedAt,
            UnknownOutcomeAttempt = record.UnknownOutcomeAttempt,
        };
    }

    /// <summary>A receiver's outcome as this scope may see it (see <see cref="Redact(MessageRecord)"/>).</summary>
    public ReceiverOutcome Redact(ReceiverOutcome outcome) =>
        SeesResolvedAddresses || !IsResolved(outcome) ? outcome : Redact(outcome, [outcome]);

    private static bool IsResolved(ReceiverOutcome outcome) =>
        outcome.Address is { } address && !string.Equals(address, outcome.Receiver, StringComparison.OrdinalIgnoreCase);

    private static ReceiverOutcome Redact(ReceiverOutcome outcome, IReadOnlyList<ReceiverOutcome> resolved) => new()
    {
        Receiver = outcome.Receiver,
        Kind = outcome.Kind,
        Status = outcome.Status,
        Reason = outcome.Reason,
        Address = IsResolved(outcome) ? null : outcome.Address,
        Detail = HideAddresses(outcome.Detail, resolved),
        SuppressedBy = outcome.SuppressedBy,
        Attempts = outcome.Attempts,
        CompletedAt = outcome.CompletedAt,
        ProviderMessageId = outcome.ProviderMessageId,
        UnknownOutcomeAttempt = outcome.UnknownOutcomeAttempt,
    };

    /// <summary>Each resolved address in <paramref name="text"/> becomes the username it was resolved from.</summary>
    private static string? HideAddresses(string? text, IReadOnlyList<ReceiverOutcome> resolved)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var outcome in resolved)
        {
            text = text.Replace(outcome.Address!, outcome.Receiver, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }
}
