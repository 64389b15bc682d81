namespace Notify.Grains.Channels.Http;

/// <summary>
/// WeCom's answer codes, shared by the application-message (rtx) and group-robot (wework) channels.
/// WeCom answers HTTP 200 and puts the outcome in <c>errcode</c>.
/// </summary>
internal static class WecomErrors
{
    public const int Ok = 0;

    /// <summary>"System busy": WeCom asks the caller to try again.</summary>
    public const int SystemBusy = -1;

    /// <summary>Invalid credential: on a send, the access token is not (or no longer) accepted.</summary>
    public const int InvalidCredential = 40001;

    public const int InvalidAccessToken = 40014;

    public const int AccessTokenExpired = 42001;

    /// <summary>API frequency limit (the robot's 20-per-minute quota among others).</summary>
    public const int FrequencyLimited = 45009;

    /// <summary>The robot webhook key is unknown.</summary>
    public const int InvalidWebhookUrl = 93000;

    /// <summary>Codes a fresh access token cures: drop the cached token, fetch a new one, resend once.</summary>
    public static bool IsAccessTokenRejected(int errcode) =>
        errcode is InvalidCredential or InvalidAccessToken or AccessTokenExpired;

    public static bool IsTransient(int errcode) => errcode is SystemBusy or FrequencyLimited;

    /// <summary>
    /// The exception for a non-zero errcode: -1 and 45009 transient, everything else permanent. The provider's
    /// errmsg is kept for the record with <paramref name="secrets"/> masked out.
    /// </summary>
    public static ProviderErrorException ToException(
        string operation, int errcode, string? errmsg, TimeSpan? retryAfter, params ReadOnlySpan<string?> secrets)
    {
        var message = SecretRedaction.Redact($"{operation}: {errmsg}", secrets);
        var transient = IsTransient(errcode);
        return new ProviderErrorException(errcode.ToString(System.Globalization.CultureInfo.InvariantCulture), message, transient, transient ? retryAfter : null);
    }
}
