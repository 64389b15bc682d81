namespace Notify.Grains.Attention;

/// <summary>
/// A person's quiet hours: every day from <see cref="Start"/> to <see cref="End"/> in their own time zone (wrapping
/// past midnight when <see cref="End"/> is earlier, as 22:00–07:00). Non-critical alert notices then wait for a
/// digest due when the quiet period ends.
/// </summary>
public sealed record QuietHours
{
    public QuietHours(TimeOnly start, TimeOnly end, TimeZoneInfo timeZone)
    {
        // Equal ends would mean either never or always quiet; neither is quiet hours.
        if (start == end)
        {
            throw new ArgumentException($"quiet hours must start and end at different times (both {start:HH\\:mm})", nameof(end));
        }

        Start = start;
        End = end;
        TimeZone = timeZone;
    }

    public TimeOnly Start { get; }

    public TimeOnly End { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>When the quiet period holding <paramref name="now"/> ends; null when <paramref name="now"/> is not in one.</summary>
    public DateTimeOffset? EndOfQuietAt(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        var today = DateOnly.FromDateTime(local);
        DateOnly endDay;
        if (Start < End)
        {
            if (time < Start || time >= End)
            {
                return null;
            }

            endDay = today;
        }
        else if (time >= Start)
        {
            endDay = today.AddDays(1);
        }
        else if (time < End)
        {
            endDay = today;
        }
        else
        {
            return null;
        }

        return ToInstant(endDay.ToDateTime(End));
    }

    /// <summary>
    /// The instant a local time names: one skipped by a clock change (spring forward) ends when the clocks resume, one
    /// that happens twice (fall back) at its first occurrence, so the quiet period is never longer than the person set.
    /// </summary>
    private DateTimeOffset ToInstant(DateTime local)
    {
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = TimeZone.IsAmbiguousTime(local) ? TimeZone.GetAmbiguousTimeOffsets(local).Max() : TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
