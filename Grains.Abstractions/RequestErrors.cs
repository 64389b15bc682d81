using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Abstractions;

[GenerateSerializer, Alias("notify.RequestErrorKind")]
public enum RequestErrorKind
{
    /// <summary>Invalid input (HTTP 400, gRPC InvalidArgument).</summary>
    Invalid = 0,
    /// <summary>The thing asked for does not exist (HTTP 404, gRPC NotFound).</summary>
    NotFound = 1,
    /// <summary>The request contradicts existing state (HTTP 409, gRPC AlreadyExists/FailedPrecondition).</summary>
    Conflict = 2,
    /// <summary>The durable store cannot take the write now (HTTP 503, gRPC Unavailable).</summary>
    Unavailable = 3,
}

/// <summary>
/// A request refused before anything was accepted. Crosses grain boundaries, so the gateway and the
/// .NET client see the same field-level reasons.
/// </summary>
[GenerateSerializer, Alias("notify.NotifyRequestException")]
public sealed class NotifyRequestException : Exception
{
    public NotifyRequestException(RequestErrorKind kind, IReadOnlyList<FieldError> errors)
        : base(string.Join("; ", errors))
    {
        Kind = kind;
        Errors = errors;
    }

    public NotifyRequestException(RequestErrorKind kind, string field, string reason)
        : this(kind, [new FieldError(field, reason)])
    {
    }

    [Id(0)] public RequestErrorKind Kind { get; }

    [Id(1)] public IReadOnlyList<FieldError> Errors { get; }

    public static NotifyRequestException Invalid(IReadOnlyList<FieldError> errors) => new(RequestErrorKind.Invalid, errors);

    public static NotifyRequestException Invalid(string field, string reason) => new(RequestErrorKind.Invalid, field, reason);

    public static NotifyRequestException NotFound(string field, string reason) => new(RequestErrorKind.NotFound, field, reason);

    public static NotifyRequestException Conflict(string field, string reason) => new(RequestErrorKind.Conflict, field, reason);
}
