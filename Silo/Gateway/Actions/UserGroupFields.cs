using System.Globalization;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Silo.Gateway.Actions;

/// <summary>
/// The wire spelling of a user group's rule and duty fields, shared by REST and gRPC: step keys, <c>HH:mm</c> hand-over
/// times and the <c>yyyy-MM-dd</c> start date. Text that names nothing is refused with its field; every rule about the
/// values is <see cref="ActionRequestValidator"/>'s.
/// </summary>
public static class UserGroupFields
{
    private static readonly string[] TimeFormats = ["H:mm", "HH:mm"];

    public static IReadOnlyDictionary<NotifyStep, IReadOnlyList<string>> Steps(IEnumerable<(string Name, IReadOnlyList<string> Ways)> steps, string field, List<FieldError> errors)
    {
        var parsed = new Dictionary<NotifyStep, IReadOnlyList<string>>();
        foreach (var (name, ways) in steps)
        {
            if (!ActionWireNames.TryParse(name, out NotifyStep step))
            {
                errors.Add(new FieldError($"{field}.{name}", $"unknown step '{name}' (the notice steps are abnormal, recovered, closed, ack)"));
            }
            else if (!parsed.TryAdd(step, ways))
            {
                errors.Add(new FieldError($"{field}.{name}", $"names the same step as '{step.WireName()}'"));
            }
        }

        return parsed;
    }

    public static IReadOnlyList<TimeOnly> HandOverTimes(IReadOnlyList<string> times, List<FieldError> errors)
    {
        var parsed = new List<TimeOnly>();
        for (var i = 0; i < times.Count; i++)
        {
            if (TimeOnly.TryParseExact(times[i].Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                parsed.Add(time);
            }
            else
            {
                errors.Add(new FieldError($"duty.handOverTimes[{i}]", $"'{times[i]}' is not a time of day such as 09:00"));
            }
        }

        return parsed;
    }

    /// <summary>Empty means not given (the validator says it is required).</summary>
    public static DateOnly StartDate(string? text, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new FieldError("duty.startDate", $"'{text}' is not a date such as 2026-11-23"));
        return default;
    }

    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
