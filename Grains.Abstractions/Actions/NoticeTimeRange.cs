using System.Globalization;

namespace Notify.Grains.Abstractions.Actions;

/// <summary>
/// A time of day range of a user group's notice rule, written as bk-monitor writes it: <c>09:00--18:00</c> or
/// <c>09:00:00--18:00:00</c>. The start is included and the end excluded; an end before the start crosses midnight
/// (<c>22:00--06:00</c>), and equal ends mean the whole day.
/// </summary>
public readonly record struct NoticeTimeRange(TimeOnly Start, TimeOnly End)
{
    private static readonly string[] Formats = ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"];

    public bool Contains(TimeOnly time) =>
        Start == End || (Start < End ? time >= Start && time < End : time >= Start || time < End);

    public override string ToString() => $"{Start:HH\\:mm\\:ss}--{End:HH\\:mm\\:ss}";

    public static bool TryParse(string? text, out NoticeTimeRange range)
    {
        range = default;
        var parts = (text ?? "").Split("--");
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0].Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1].Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            return false;
        }

        range = new NoticeTimeRange(start, end);
        return true;
    }

    public static NoticeTimeRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"'{text}' is not a time range such as 09:00--18:00");
}
