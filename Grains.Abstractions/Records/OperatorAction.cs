using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions.Records;

/// <summary>An operator's action on a message, kept in its record: who did what, when.</summary>
[GenerateSerializer, Immutable, Alias("notify.OperatorAction")]
public sealed record OperatorAction(
    [property: Id(0)] OperatorActionKind Kind,
    [property: Id(1)] string Operator,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Receiver,
    [property: Id(4)] string? Note,
    [property: Id(5)] int? Attempt);

[GenerateSerializer, Alias("notify.OperatorActionKind")]
public enum OperatorActionKind
{
    /// <summary>A new attempt for the failed receivers (all, or the one named), under the same record.</summary>
    Retry = 0,
    /// <summary>The message was cancelled before it was final.</summary>
    Cancel = 1,
}

public static class OperatorActionKinds
{
    /// <summary><c>retry</c>, <c>cancel</c>: the wire name.</summary>
    public static string WireName(this OperatorActionKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>
/// An operator's request: <paramref name="Operator"/> is who asks (the admin key's id, or <c>loopback</c> on an open
/// gateway); <paramref name="Receiver"/> narrows a retry to one receiver; <paramref name="Note"/> is free text for the record.
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.OperatorRequest")]
public sealed record OperatorRequest(
    [property: Id(0)] string Operator,
    [property: Id(1)] string? Receiver = null,
    [property: Id(2)] string? Note = null)
{
    public const int MaxNoteLength = 512;
    public const int MaxMessageIdLength = 64;

    /// <summary>What is wrong with this request for message <paramref name="messageId"/>, each naming its field.</summary>
    public IReadOnlyList<FieldError> Validate(string messageId)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(messageId) || messageId.Length > MaxMessageIdLength || messageId.Any(char.IsControl))
        {
            errors.Add(new FieldError("id", $"must be a message id (1-{MaxMessageIdLength} characters, no control characters)"));
        }

        if (string.IsNullOrWhiteSpace(Operator))
        {
            errors.Add(new FieldError("operator", "is required: who asks for this"));
        }

        if (Receiver is not null && (Receiver.Length is 0 or > NotifyLimits.MaxAddressLength || Receiver.Any(char.IsControl)))
        {
            errors.Add(new FieldError("receiver", $"must be a receiver of the message (1-{NotifyLimits.MaxAddressLength} characters, no control characters)"));
        }

        if (Note is { Length: > MaxNoteLength })
        {
            errors.Add(new FieldError("note", $"must be at most {MaxNoteLength} characters (got {Note.Length})"));
        }
        else if (Note is not null && Note.Any(c => char.IsControl(c) && c != '\n'))
        {
            errors.Add(new FieldError("note", "must not contain control characters other than line feeds"));
        }

        return errors;
    }
}
