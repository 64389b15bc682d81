using System.Globalization;
using Microsoft.Extensions.Logging;
using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Templates;
using Notify.Grains.Actions;

namespace Notify.Grains.Templates;

/// <summary>
/// Renders action notices through the <c>ACTION_NOTICE</c> template, one content per notice way (bk-monitor keeps a
/// template per way), with the notice reason passed to the template (as Alertmanager passes its notify reason).
/// Operators edit the wording through the templates API. If the template is gone, the notice still goes out as
/// plain text: a missing template must never cost a page.
/// </summary>
public sealed partial class TemplateActionNoticeRenderer(
    IGrainFactory grainFactory,
    PlainTextActionNoticeRenderer fallback,
    ILogger<TemplateActionNoticeRenderer> logger) : IActionNoticeRenderer
{
    public async ValueTask<RenderedNotice> RenderAsync(ActionNoticeContext context, CancellationToken cancellationToken)
    {
        try
        {
            var rendered = await grainFactory.GetGrain<ITemplateSendGrain>(0)
                .RenderAsync(BuiltInTemplates.ActionNotice, context.Way.Channel, Parameters(context));
            return new RenderedNotice(rendered.Title, rendered.Body)
            {
                Format = rendered.Format,
                TextType = rendered.TextType,
                Adjustments = rendered.Adjustments,
            };
        }
        catch (NotifyRequestException exception)
        {
            LogTemplateUnavailable(exception, context.ActionId, context.Way.ToString());
            return await fallback.RenderAsync(context, cancellationToken);
        }
    }

    /// <summary>The variables <c>ACTION_NOTICE</c> sees; <c>reason</c> is one of <see cref="BuiltInTemplates.NoticeReasons"/>.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(ActionNoticeContext context)
    {
        var alert = context.Alert;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reason"] = context.Reason switch
            {
                NoticeReason.FirstNotice => "first",
                NoticeReason.Repeat => "repeat",
                NoticeReason.Ack => "ack",
                NoticeReason.Recovered => "recovered",
                _ => "closed",
            },
            ["noticeTimes"] = context.ExecuteTimes.ToString(CultureInfo.InvariantCulture),
            ["actionId"] = context.ActionId,
            ["alertId"] = alert.Id,
            ["alertName"] = alert.Name,
            ["alertLevel"] = alert.Level.ToString(CultureInfo.InvariantCulture),
            ["alertContent"] = alert.Content,
            ["beginTime"] = alert.BeginTime.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in alert.Dimensions)
        {
            parameters["dimensions." + key] = value;
        }

        return parameters;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: the ACTION_NOTICE template could not render way {Way}; sending plain text")]
    private partial void LogTemplateUnavailable(Exception exception, string actionId, string way);
}
