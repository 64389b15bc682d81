using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// Every gRPC service's error mapping, in one place: a request error becomes an <see cref="RpcException"/> with the
/// status of <see cref="GatewayErrors.GrpcStatus"/>, the message <c>field: reason; …</c> and the same pairs structured in
/// the <see cref="FieldErrorsTrailer"/>; anything else is logged and answered INTERNAL.
/// </summary>
public sealed class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    /// <summary>Binary trailer carrying a serialized <c>notify.v1.FieldErrors</c>.</summary>
    public const string FieldErrorsTrailer = "notify-field-errors-bin";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        }
        catch (GatewayForbiddenException exception)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, exception.Message));
        }
        catch (GatewayRateLimitedException exception)
        {
            var pushback = ((long)Math.Ceiling(exception.RetryAfter.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, exception.Message), new Metadata { { GatewayRejections.RetryPushbackTrailer, pushback } });
        }
        catch (Exception exception) when (GatewayErrors.Translate(exception) is { } error)
        {
            var fieldErrors = new Api.V1.FieldErrors();
            fieldErrors.Errors.Add(error.Errors.Select(e => new Api.V1.FieldError { Field = e.Field, Reason = e.Reason }));
            throw new RpcException(new Status(GatewayErrors.GrpcStatus(error.Kind), error.Message), new Metadata { { FieldErrorsTrailer, fieldErrors.ToByteArray() } });
        }
        catch (Exception exception)
        {
            GatewayLog.CallFailed(logger, exception, "gRPC", context.Method);
            throw new RpcException(new Status(StatusCode.Internal, "internal error; see the server log"));
        }
    }
}
