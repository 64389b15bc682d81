using Grpc.Core;
using Notify.Grains.Abstractions;
using Orleans.Runtime;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// The one translation from what a call threw to what the caller is told, shared by both surfaces: the REST
/// filter turns the result into an HTTP status, the gRPC interceptor into a status code.
/// </summary>
public static class GatewayErrors
{
    /// <summary>The request error <paramref name="exception"/> stands for, or null for a bug (answered as an internal error).</summary>
    public static NotifyRequestException? Translate(Exception exception) => exception switch
    {
        NotifyRequestException request => request,
        // The call may still complete inside the cluster: callers retry with the same request id.
        TimeoutException => new NotifyRequestException(RequestErrorKind.Unavailable, "cluster", "did not answer in time; the request may or may not have been accepted"),
        SiloUnavailableException or OrleansMessageRejectionException or ClientNotAvailableException =>
            new NotifyRequestException(RequestErrorKind.Unavailable, "cluster", "is not reachable right now; try again"),
        _ => null,
    };

    public static int HttpStatus(RequestErrorKind kind) => kind switch
    {
        RequestErrorKind.Invalid => StatusCodes.Status400BadRequest,
        RequestErrorKind.NotFound => StatusCodes.Status404NotFound,
        RequestErrorKind.Conflict => StatusCodes.Status409Conflict,
        RequestErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Conflicts are FAILED_PRECONDITION: the request is well formed but the state it meets refuses it.</summary>
    public static StatusCode GrpcStatus(RequestErrorKind kind) => kind switch
    {
        RequestErrorKind.Invalid => StatusCode.InvalidArgument,
        RequestErrorKind.NotFound => StatusCode.NotFound,
        RequestErrorKind.Conflict => StatusCode.FailedPrecondition,
        RequestErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
