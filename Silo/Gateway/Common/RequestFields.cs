using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Common;

/// <summary>What every body mapper does with fields: gather every field's error before refusing, and read delays.</summary>
public static class RequestFields
{
    /// <summary>Runs <paramref name="read"/>; a refusal of its fields is added to <paramref name="errors"/> instead of thrown, so one answer names them all.</summary>
    public static T? Collect<T>(List<FieldError> errors, Func<T> read) where T : class
    {
        try
        {
            return read();
        }
        catch (NotifyRequestException exception) when (exception.Kind == RequestErrorKind.Invalid)
        {
            errors.AddRange(exception.Errors);
            return null;
        }
    }

    public static void ThrowIfAny(List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }
    }

    /// <summary>Rounded up, so a delay is never shortened; out-of-range values stay out of range for the validator.</summary>
    public static int DelayFromMilliseconds(long? milliseconds) => milliseconds switch
    {
        null => 0,
        < 0 => -1,
        { } ms => (int)Math.Min(int.MaxValue, ms / 1000 + (ms % 1000 > 0 ? 1 : 0)),
    };
}
