using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Abstractions.Templates;

namespace Notify.Grains.Templates;

/// <summary>
/// The templates a new cluster starts with (BK-CI's built-in codes, in Chinese as BK-CI sends them) and the default action-notice
/// template. Seeded once per code: an operator's edit or delete is never overwritten (<see cref="TemplateIndexGrain"/>).
/// </summary>
public static class BuiltInTemplates
{
    /// <summary>The action-notice template: one sub-template per notice way, worded by the <c>reason</c> variable.</summary>
    public const string ActionNotice = "ACTION_NOTICE";

    /// <summary>
    /// The notice reasons an action instance passes in <c>reason</c> (with <c>noticeTimes</c>, the 1-based count, for repeats),
    /// as Alertmanager passes its notify reason to templates.
    /// </summary>
    public static IReadOnlyList<string> NoticeReasons { get; } = ["first", "repeat", "ack", "recovered", "closed"];

    private static readonly NotifyChannel[] ChatChannels = [NotifyChannel.Email, NotifyChannel.Rtx, NotifyChannel.Wechat, NotifyChannel.Wework];

    private const string ReasonLabel =
        "{% case reason %}{% when 'repeat' %}告警持续(第{{ noticeTimes }}次通知){% when 'ack' %}告警已确认{% when 'recovered' %}告警已恢复" +
        "{% when 'closed' %}告警已关闭{% else %}告警通知{% endcase %}";

    public static IReadOnlyList<NotifyTemplate> All { get; } =
    [
        Build("BUILD_START", "构建开始通知", "开始", withDuration: false),
        Build("BUILD_SUCCESS", "构建成功通知", "成功", withDuration: true),
        Build("BUILD_FAIL", "构建失败通知", "失败", withDuration: true),
        Build("BUILD_CANCEL", "构建取消通知", "取消", withDuration: true),
        Chat(
            "QUALITY_INTERCEPT",
            "质量红线拦截通知",
            "【BK-CI】${projectName} 流水线 ${pipelineName} 被质量红线拦截",
            ["您好,${userName}:", "流水线 ${pipelineName} 的构建 #${buildNum} 未通过质量红线 ${ruleName},已被拦截。", "拦截原因:${interceptReason}", "触发人:${triggerUser}"]),
        Chat(
            "QUALITY_REVIEW",
            "质量红线审核通知",
            "【BK-CI】${projectName} 流水线 ${pipelineName} 待您审核",
            ["您好,${userName}:", "流水线 ${pipelineName} 的构建 #${buildNum} 触发了质量红线 ${ruleName},需要您审核。", "触发人:${triggerUser}", "审核地址:${url}"]),
        Chat(
            "PERMISSION_APPLY",
            "权限申请通知",
            "【BK-CI】${applicant} 申请项目 ${projectName} 的权限",
            ["您好,${userName}:", "${applicant} 申请项目 ${projectName} 的 ${permission} 权限。", "申请理由:${reason}", "审批地址:${url}"]),
        ActionNoticeTemplate(),
    ];

    private static NotifyTemplate Build(string code, string name, string status, bool withDuration)
    {
        var statusText = $"{{{{ status | default: '{status}' }}}}";
        string[] lines =
        [
            "您好,${userName}:",
            $"您的流水线 ${{pipelineName}} 构建{statusText}。",
            "构建号:${buildNum}",
            "触发人:${triggerUser}",
            .. withDuration ? ["耗时:${duration}"] : Array.Empty<string>(),
        ];
        return Chat(code, name, $"【BK-CI】${{projectName}} 流水线构建{statusText}", lines);
    }

    /// <summary>E-mail (HTML), RTX, WeChat and the robot (with a markdown variant) from one title and the body's lines.</summary>
    private static NotifyTemplate Chat(string code, string name, string title, IReadOnlyList<string> lines) => new()
    {
        TemplateCode = code,
        TemplateName = name,
        NotifyTypeScope = ChatChannels,
        Source = "bk-ci",
        Contents =
        [
            new ChannelTemplate
            {
                Channel = NotifyChannel.Email,
                Title = title,
                Body = string.Concat(lines.Select(l => $"<p>{l}</p>")),
                Format = EmailFormat.Html,
            },
            new ChannelTemplate { Channel = NotifyChannel.Rtx, Title = title, Body = string.Join("\n", lines) },
            new ChannelTemplate { Channel = NotifyChannel.Wechat, Title = title, Body = string.Join("\n", lines) },
            new ChannelTemplate
            {
                Channel = NotifyChannel.Wework,
                Body = title + "\n" + string.Join("\n", lines),
                MarkdownBody = $"**{title}**\n" + string.Join("\n", lines.Select(l => "> " + l)),
            },
        ],
    };

    private static NotifyTemplate ActionNoticeTemplate()
    {
        const string title = $"【{ReasonLabel}】${{alertName}}";
        string[] lines = ["告警级别:${alertLevel}", "告警内容:${alertContent}", "开始时间:${beginTime}", "告警ID:${alertId}"];
        return new NotifyTemplate
        {
            TemplateCode = ActionNotice,
            TemplateName = "告警通知(按通知方式)",
            NotifyTypeScope = NotifyChannels.All.ToArray(),
            Source = "bk-monitor",
            Priority = NotifyPriority.High,
            Contents =
            [
                new ChannelTemplate
                {
                    Channel = NotifyChannel.Email,
                    Title = title,
                    Body = $"<h3>{ReasonLabel}:${{alertName}}</h3>" + string.Concat(lines.Select(l => $"<p>{l}</p>")),
                    Format = EmailFormat.Html,
                },
                new ChannelTemplate { Channel = NotifyChannel.Rtx, Title = title, Body = string.Join("\n", lines) },
                new ChannelTemplate { Channel = NotifyChannel.Wechat, Title = title, Body = string.Join("\n", lines) },
                new ChannelTemplate { Channel = NotifyChannel.Sms, Body = $"【{ReasonLabel}】${{alertName}}:${{alertContent}}" },
                new ChannelTemplate { Channel = NotifyChannel.Voice, Title = "告警语音通知", Body = $"蓝鲸监控{ReasonLabel}:${{alertName}},${{alertContent}}" },
                new ChannelTemplate
                {
                    Channel = NotifyChannel.Wework,
                    Body = title + "\n" + string.Join("\n", lines),
                    MarkdownBody = $"**{title}**\n" + string.Join("\n", lines.Select(l => "> " + l)),
                },
            ],
        };
    }
}
