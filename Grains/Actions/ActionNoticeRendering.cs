using System.Globalization;
using System.Text;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.Grains.Actions;

/// <summary>Why a notice is sent; the renderer words it.</summary>
public enum NoticeReason
{
    FirstNotice = 0,
    Repeat = 1,
    Ack = 2,
    Recovered = 3,
    Closed = 4,
}

/// <summary>Everything a notice is rendered from.</summary>
public sealed record ActionNoticeContext(
    string ActionId,
    ActionAlert Alert,
    NotifyStep Step,
    NoticeReason Reason,
    int ExecuteTimes,
    int RetryTimes,
    NoticeWay Way)
{
    /// <summary>For <see cref="NoticeReason.Repeat"/>: 1 for the first repeat.</summary>
    public int RepeatNumber => Reason == NoticeReason.Repeat ? ExecuteTimes - 1 : 0;

    /// <summary>
    /// The context of <paramref name="way"/> in the instance's current run: the alert as it is now (its latest update, its
    /// signalled status), as bk-monitor's <c>notify(step, need_update_context=True)</c> refreshes it before a repeat.
    /// </summary>
    public static ActionNoticeContext ForCurrentRun(ActionInstanceState state, NoticeWay way)
    {
        var run = state.CurrentRun ?? throw new InvalidOperationException("no run in flight");
        return new ActionNoticeContext(state.Request!.ActionId, state.CurrentAlert, run.Step, ReasonFor(run.Step, run.ExecuteTimes),
            run.ExecuteTimes, run.RetryTimes, way);
    }

    public static NoticeReason ReasonFor(NotifyStep step, int executeTimes) => step switch
    {
        NotifyStep.Abnormal => executeTimes <= 1 ? NoticeReason.FirstNotice : NoticeReason.Repeat,
        NotifyStep.Ack => NoticeReason.Ack,
        NotifyStep.Recovered => NoticeReason.Recovered,
        NotifyStep.Closed => NoticeReason.Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "not a notice step"),
    };
}

/// <summary>A rendered notice: the title (dropped on channels without one), the body, and how the body is formatted.</summary>
public sealed record RenderedNotice(string Title, string Body)
{
    public EmailFormat Format { get; init; } = EmailFormat.Text;

    public RobotTextType TextType { get; init; } = RobotTextType.Text;

    /// <summary>What rendering changed (a truncation), carried onto the message record.</summary>
    public IReadOnlyList<string> Adjustments { get; init; } = [];
}

/// <summary>
/// The one seam between action instances and notice content. The default is <see cref="PlainTextActionNoticeRenderer"/>;
/// the templates service replaces it with per-way templates.
/// </summary>
public interface IActionNoticeRenderer
{
    ValueTask<RenderedNotice> RenderAsync(ActionNoticeContext context, CancellationToken cancellationToken);
}

/// <summary>Plain text from the alert's fields, the same for every way: enough to act on, no markup.</summary>
public sealed class PlainTextActionNoticeRenderer : IActionNoticeRenderer
{
    public ValueTask<RenderedNotice> RenderAsync(ActionNoticeContext context, CancellationToken cancellationToken)
    {
        var alert = context.Alert;
        var reason = context.Reason switch
        {
            NoticeReason.FirstNotice => "ALERT",
            NoticeReason.Repeat => string.Create(CultureInfo.InvariantCulture, $"REPEAT {context.RepeatNumber}"),
            NoticeReason.Ack => "ACKNOWLEDGED",
            NoticeReason.Recovered => "RECOVERED",
            NoticeReason.Closed => "CLOSED",
            _ => context.Reason.ToString().ToUpperInvariant(),
        };
        var title = $"[{reason}][{LevelName(alert.Level)}] {alert.Name}";

        var body = new StringBuilder()
            .Append(title).Append('\n')
            .Append("Alert: ").Append(alert.Name).Append(" (").Append(alert.Id).Append(")\n")
            .Append("Level: ").Append(LevelName(alert.Level)).Append('\n')
            .Append("Began: ").Append(alert.BeginTime.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n');
        if (alert.Dimensions.Count > 0)
        {
            body.Append("Dimensions: ")
                .AppendJoin(", ", alert.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))
                .Append('\n');
        }

        if (alert.Content.Length > 0)
        {
            body.Append(alert.Content).Append('\n');
        }

        body.Append(Describe(context));
        return ValueTask.FromResult(new RenderedNotice(title, body.ToString()));
    }

    private static string Describe(ActionNoticeContext context) => context.Reason switch
    {
        NoticeReason.FirstNotice => "The alert is abnormal.",
        NoticeReason.Repeat => string.Create(CultureInfo.InvariantCulture, $"The alert is still abnormal (repeat notice {context.RepeatNumber})."),
        NoticeReason.Ack => "The alert was acknowledged; no further notices will be sent.",
        NoticeReason.Recovered => "The alert has recovered.",
        NoticeReason.Closed => "The alert was closed.",
        _ => "",
    };

    private static string LevelName(int level) => level switch
    {
        1 => "fatal",
        2 => "warning",
        3 => "remind",
        _ => level.ToString(CultureInfo.InvariantCulture),
    };
}
