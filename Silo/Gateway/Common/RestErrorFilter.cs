using Microsoft.AspNetCore.Http.Features;
using Notify.Grains.Abstractions.Messages;
using Notify.Silo.Gateway.Security;

namespace Notify.Silo.Gateway.Common;

/// <summary>
/// Every REST endpoint's error mapping, in one place: caps the request body, and turns what the handler threw into
/// BK-CI's Result shape with the HTTP status of <see cref="GatewayErrors.HttpStatus"/>.
/// </summary>
public sealed class RestErrorFilter(ILogger<RestErrorFilter> logger) : IEndpointFilter
{
    /// <summary>
    /// 4 MiB: the largest e-mail body the validator takes (1,000,000 characters) is up to 3 MB of UTF-8, and a
    /// request over this is refused before it is read.
    /// </summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = MaxRequestBodyBytes;
        }

        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, [new FieldError("body", $"is larger than {MaxRequestBodyBytes} bytes ({MaxRequestBodyBytes / (1024 * 1024)} MiB)")]);
        }
        catch (BadHttpRequestException exception)
        {
            return Error(exception.StatusCode, [new FieldError("body", exception.Message)]);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (UnsupportedMediaTypeException exception)
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, [exception.Error]);
        }
        catch (GatewayForbiddenException exception)
        {
            return Error(StatusCodes.Status403Forbidden, [exception.Error]);
        }
        catch (GatewayRateLimitedException exception)
        {
            http.Response.Headers.RetryAfter = GatewayRejections.RetryAfterSeconds(exception.RetryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, [exception.Error]);
        }
        catch (Exception exception) when (GatewayErrors.Translate(exception) is { } request)
        {
            return Error(GatewayErrors.HttpStatus(request.Kind), request.Errors);
        }
        catch (Exception exception)
        {
            GatewayLog.CallFailed(logger, exception, "REST", $"{http.Request.Method} {http.Request.Path}");
            return Error(StatusCodes.Status500InternalServerError, [new FieldError("server", "internal error; see the server log")]);
        }
    }

    private static IResult Error(int httpStatus, IReadOnlyList<FieldError> errors) =>
        Results.Json(ApiErrorResult.From(httpStatus, errors), GatewayJson.Options, statusCode: httpStatus);
}
