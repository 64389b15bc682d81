using Notify.Grains.Abstractions.Delivery;

namespace Notify.Grains.Channels.Http;

/// <summary>
/// What an HTTP provider's failure means for a retry: its status (<see cref="FailureRules.ForHttpStatus"/>, keeping a
/// <c>Retry-After</c>), the provider's own error code as its transport judged it, or a connection that never answered:
/// transient when it failed before the request body was sent (DNS, a refused connect, TLS), an unknown outcome after
/// it (<see cref="AnswerLostException"/>: a timeout or a reset while the provider had the request).
/// </summary>
public static class HttpFailureClassifier
{
    public static SendFailure Classify(Exception exception) => exception switch
    {
        AnswerLostException lost => FailureRules.ForLostAnswer(lost, Classify, IsAnswer),
        ProviderHttpException http => FailureRules.ForHttpStatus(http.StatusCode, http.Message, http.RetryAfter),
        ProviderErrorException provider => provider.Transient
            ? SendFailure.Transient(provider.Message, provider.RetryAfter)
            : SendFailure.Permanent(provider.Message),
        HttpRequestException { StatusCode: { } status } http => FailureRules.ForHttpStatus((int)status, http.Message, null),
        HttpRequestException http => SendFailure.Transient($"connection failed: {http.Message}"),
        _ => FailureRules.ForException(exception, Classify),
    };

    private static bool IsAnswer(Exception exception) =>
        exception is ProviderHttpException or ProviderErrorException or HttpRequestException { StatusCode: not null };
}
