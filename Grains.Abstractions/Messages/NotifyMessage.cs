namespace Notify.Grains.Abstractions.Messages;

/// <summary>
/// One notification request, channel-neutral: BK-CI's BaseMessage fields plus the per-channel fields.
/// Fields that a channel does not use stay empty (the validator rejects them where they would be ignored silently).
/// </summary>
[GenerateSerializer, Immutable, Alias("notify.NotifyMessage")]
public sealed record NotifyMessage
{
    [Id(0)] public required NotifyChannel Channel { get; init; }

    /// <summary>Addresses or usernames (resolved through the contact directory). For the robot: chat ids.</summary>
    [Id(1)] public IReadOnlyList<string> Receivers { get; init; } = [];

    /// <summary>E-mail only.</summary>
    [Id(2)] public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>E-mail only.</summary>
    [Id(3)] public IReadOnlyList<string> Bcc { get; init; } = [];

    /// <summary>E-mail subject, RTX title, voice task name. Empty for channels without a title.</summary>
    [Id(4)] public string Title { get; init; } = "";

    /// <summary>E-mail/RTX/WeChat/SMS body, voice content, robot message.</summary>
    [Id(5)] public string Body { get; init; } = "";

    [Id(6)] public EmailFormat Format { get; init; } = EmailFormat.Text;

    [Id(7)] public NotifyPriority Priority { get; init; } = NotifyPriority.Normal;

    /// <summary>Calling system or module ("process", "quality", "ci"…).</summary>
    [Id(8)] public string Source { get; init; } = "";

    [Id(9)] public string Sender { get; init; } = "";

    /// <summary>Minutes within which the same content is not sent again to the same receiver; 0 = no limit.</summary>
    [Id(10)] public int FrequencyLimitMinutes { get; init; }

    /// <summary>Seconds to wait before the first attempt; 0 = now.</summary>
    [Id(11)] public int DelaySeconds { get; init; }

    [Id(12)] public string FromSysId { get; init; } = "";

    [Id(13)] public string TofSysId { get; init; } = "";

    /// <summary>Robot only: text or markdown.</summary>
    [Id(14)] public RobotTextType TextType { get; init; } = RobotTextType.Text;

    /// <summary>Robot only: user ids to @-mention ("@all" allowed).</summary>
    [Id(15)] public IReadOnlyList<string> MentionedList { get; init; } = [];

    /// <summary>Voice only: the person a call is transferred to when nobody answers.</summary>
    [Id(16)] public string TransferReceiver { get; init; } = "";

    /// <summary>Voice only: seconds between re-calls.</summary>
    [Id(17)] public int RecallIntervalSeconds { get; init; }

    /// <summary>Voice only: how many times an unanswered call is repeated.</summary>
    [Id(18)] public int RecallTimes { get; init; }

    /// <summary>Free-form link back to what caused the message (for example an action instance and step).</summary>
    [Id(19)] public string Reference { get; init; } = "";

    /// <summary>
    /// Cluster-internal: the id (<c>GrainId</c> text) of an <see cref="Grains.IMessageCompletionListener"/> told when the
    /// message becomes final. Not settable through the gateway.
    /// </summary>
    [Id(20)] public string CompletionListener { get; init; } = "";

    /// <summary>What the cluster changed in the content before sending (a truncation, a split), for the record.</summary>
    [Id(21)] public IReadOnlyList<string> Adjustments { get; init; } = [];

    /// <summary>
    /// Robot only: the name of a configured robot (<c>Channels:Wework:Robots:&lt;name&gt;</c>) to send through; empty
    /// for the default one (<c>Channels:Wework:Key</c>). A name, never a key or URL: callers cannot point the cluster
    /// at a webhook of their own.
    /// </summary>
    [Id(22)] public string Robot { get; init; } = "";

    /// <summary>Robot only, text messages: phone numbers of chat members to @-mention ("@all" allowed).</summary>
    [Id(23)] public IReadOnlyList<string> MentionedMobileList { get; init; } = [];

    /// <summary>
    /// Robot only: a file, image or voice message instead of text (<see cref="Body"/> then describes it for the record
    /// and the frequency limit: <see cref="WeworkMedia.Describe"/>). Its bytes are dropped once the message is final.
    /// </summary>
    [Id(24)] public WeworkMedia? Media { get; init; }

    /// <summary>
    /// Cluster-internal, set on action notices: the alert's bk-monitor level (1 fatal, 2 warning, 3 remind); 0 for a
    /// message that is not an alert notice. Alert notices count against each receiver's attention budget.
    /// </summary>
    [Id(25)] public int AlertLevel { get; init; }

    /// <summary>Cluster-internal, with <see cref="AlertLevel"/>: the alert's id, as a digest lists it.</summary>
    [Id(26)] public string AlertId { get; init; } = "";

    /// <summary>Cluster-internal, with <see cref="AlertLevel"/>: the action instance that sent the notice.</summary>
    [Id(27)] public string ActionId { get; init; } = "";

    /// <summary>Cluster-internal, with <see cref="AlertLevel"/>: the alert's name, as a digest lists it.</summary>
    [Id(28)] public string AlertName { get; init; } = "";
}
