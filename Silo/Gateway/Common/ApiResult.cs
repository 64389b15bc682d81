using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// BK-CI's <c>Result&lt;T&gt;</c>: <c>status</c> 0 and the data on success. Extra fields are additive, so BK-CI
/// clients that only read <c>status</c>, <c>message</c> and <c>data</c> keep working.
/// </summary>
public sealed record ApiResult<T>(int Status, string? Message, T Data)
{
    public static ApiResult<T> Ok(T data) => new(0, null, data);
}

/// <summary>A send's answer: BK-CI's <c>{"status":0,"message":null,"data":true}</c> plus the id of the accepted message.</summary>
public sealed record SendApiResult(int Status, string? Message, bool Data, string MessageId, bool Replayed);

/// <summary>
/// A refused request: <c>status</c> is the HTTP status code (non-zero, as BK-CI callers test), <c>message</c>
/// joins the <c>field: reason</c> pairs, <c>data</c> is null and <c>errors</c> lists the pairs.
/// </summary>
public sealed record ApiErrorResult(int Status, string Message, object? Data, IReadOnlyList<FieldError> Errors)
{
    public static ApiErrorResult From(int httpStatus, IReadOnlyList<FieldError> errors) =>
        new(httpStatus, string.Join("; ", errors), null, errors);
}
