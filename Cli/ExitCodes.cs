using Notify.Grains.Abstractions;

namespace Notify.Client.Cli;

/// <summary>What the <c>notify</c> CLI exits with, so scripts can tell a bad request from an unreachable cluster.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An unexpected error (a bug): the message says what happened.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong (unknown command or option, missing or malformed value).</summary>
    public const int Usage = 2;

    /// <summary>The request was refused as invalid (HTTP 400).</summary>
    public const int Invalid = 3;

    /// <summary>The message or contact does not exist (HTTP 404).</summary>
    public const int NotFound = 4;

    /// <summary>The cluster could not be reached or did not answer in time (HTTP 503).</summary>
    public const int Unavailable = 5;

    /// <summary>The request contradicts existing state (HTTP 409).</summary>
    public const int Conflict = 6;

    /// <summary>The gateway refused the API key: missing, wrong, or not an admin key (HTTP 401/403).</summary>
    public const int KeyRefused = 7;

    /// <summary>The key is over its rate limit (HTTP 429); the message says when to retry.</summary>
    public const int RateLimited = 8;

    /// <summary>A bulk send finished with some lines refused; the others were accepted.</summary>
    public const int PartiallyAccepted = 9;

    public static int For(RequestErrorKind kind) => kind switch
    {
        RequestErrorKind.Invalid => Invalid,
        RequestErrorKind.NotFound => NotFound,
        RequestErrorKind.Conflict => Conflict,
        RequestErrorKind.Unavailable => Unavailable,
        _ => Failure,
    };
}
