using Grpc.Core;
using Notify.Grains.Abstractions;
using Notify.Grains.Records;
using Notify.Silo.Persistence;
using Npgsql;
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
        _ when CausedByStoreOutage(exception) =>
            new NotifyRequestException(RequestErrorKind.Unavailable, "store", "the database is unavailable, so the request could not be stored; try again"),
        _ => null,
    };

    // A grain whose state could not be read or written (Orleans wraps the provider's error) failed because the
    // database is down or unreachable, not because of a bug: the caller should retry, as for the message store.
    private static bool CausedByStoreOutage(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is RecordStoreUnavailableException || (cause is NpgsqlException npgsql && PostgresMessageRecordStore.IsUnavailable(npgsql)))
            {
                return true;
            }
        }

        return false;
    }

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
