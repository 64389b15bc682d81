namespace Notify.Grains.Abstractions.Messages;

/// <summary>
/// The one place that decides whether a message may be accepted. Pure: the gateway, the .NET client and
/// <c>NotifyGrain</c> all call it, and <c>NotifyGrain</c>'s answer is the authoritative one.
/// </summary>
public static class NotifyMessageValidator
{
    /// <summary>Trims every list entry and text field that is compared or put in a header; positions are kept so errors point at what the caller wrote.</summary>
    public static NotifyMessage Trim(NotifyMessage message) => message with
    {
        Receivers = TrimAll(message.Receivers),
        Cc = TrimAll(message.Cc),
        Bcc = TrimAll(message.Bcc),
        MentionedList = TrimAll(message.MentionedList),
        MentionedMobileList = TrimAll(message.MentionedMobileList),
        Robot = message.Robot?.Trim() ?? "",
        Source = message.Source?.Trim() ?? "",
        Sender = message.Sender?.Trim() ?? "",
        Title = message.Title ?? "",
        // A media message's body is its description, so the record shows it and the frequency limit tells files apart.
        Body = message.Media is { } media ? media.Describe() : message.Body ?? "",
        FromSysId = message.FromSysId?.Trim() ?? "",
        TofSysId = message.TofSysId?.Trim() ?? "",
        Reference = message.Reference?.Trim() ?? "",
        CompletionListener = message.CompletionListener?.Trim() ?? "",
        Adjustments = message.Adjustments ?? [],
        TransferReceiver = message.TransferReceiver?.Trim() ?? "",
    };

    /// <summary>Removes duplicate receivers: one listed in receivers, cc and bcc is kept once, in the first list (BK-CI's sets).</summary>
    public static NotifyMessage Deduplicate(NotifyMessage message)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return message with
        {
            Receivers = Distinct(message.Receivers, seen),
            Cc = Distinct(message.Cc, seen),
            Bcc = Distinct(message.Bcc, seen),
            MentionedList = Distinct(message.MentionedList, new HashSet<string>(StringComparer.Ordinal)),
            MentionedMobileList = Distinct(message.MentionedMobileList, new HashSet<string>(StringComparer.Ordinal)),
        };

        static IReadOnlyList<string> Distinct(IReadOnlyList<string> values, HashSet<string> seen) =>
            values.Where(seen.Add).ToArray();
    }

    private static IReadOnlyList<string> TrimAll(IReadOnlyList<string>? values) =>
        values is null ? [] : values.Select(v => v?.Trim() ?? "").ToArray();

    public static IReadOnlyList<FieldError> Validate(NotifyMessage message)
    {
        var errors = new List<FieldError>();
        var channel = message.Channel;
        if (!Enum.IsDefined(channel))
        {
            errors.Add(new FieldError("channel", $"unknown channel {(int)channel}"));
            return errors;
        }

        CheckReceivers(errors, channel, "receivers", message.Receivers, required: true);
        if (channel == NotifyChannel.Email)
        {
            CheckReceivers(errors, channel, "cc", message.Cc, required: false);
            CheckReceivers(errors, channel, "bcc", message.Bcc, required: false);
            if (!Enum.IsDefined(message.Format))
            {
                errors.Add(new FieldError("format", "must be TEXT or HTML"));
            }
        }
        else
        {
            MustBeEmpty(errors, "cc", message.Cc.Count == 0, channel);
            MustBeEmpty(errors, "bcc", message.Bcc.Count == 0, channel);
        }

        CheckTitle(errors, message);
        CheckBody(errors, message);

        CheckHeaderText(errors, "source", message.Source, NotifyLimits.MaxSourceLength);
        CheckHeaderText(errors, "sender", message.Sender, NotifyLimits.MaxSenderLength);
        CheckHeaderText(errors, "fromSysId", message.FromSysId, NotifyLimits.MaxSysIdLength);
        CheckHeaderText(errors, "tofSysId", message.TofSysId, NotifyLimits.MaxSysIdLength);
        CheckHeaderText(errors, "reference", message.Reference, NotifyLimits.MaxReferenceLength);

        if (!Enum.IsDefined(message.Priority))
        {
            errors.Add(new FieldError("priority", "must be -1 (low), 0 (normal) or 1 (high)"));
        }

        CheckRange(errors, "frequencyLimit", message.FrequencyLimitMinutes, 0, NotifyLimits.MaxFrequencyLimitMinutes, "minutes");
        CheckRange(errors, "delaySeconds", message.DelaySeconds, 0, NotifyLimits.MaxDelaySeconds, "seconds");

        CheckRobotFields(errors, message);
        CheckVoiceFields(errors, message);
        if (message.CompletionListener.Length > 0 && !GrainId.TryParse(message.CompletionListener, out _))
        {
            errors.Add(new FieldError("completionListener", "must be a grain id"));
        }

        return errors;
    }

    /// <summary>Trims, validates (throwing <see cref="NotifyRequestException"/> listing every bad field) and deduplicates.</summary>
    /// <remarks>Validation runs before deduplication so field indexes match the request.</remarks>
    /// <summary>A batch holds 1 to <see cref="NotifyLimits.MaxBatchMessages"/> messages.</summary>
    public static void EnsureValidBatchSize(int count)
    {
        if (count is 0 or > NotifyLimits.MaxBatchMessages)
        {
            throw NotifyRequestException.Invalid("messages", $"must hold 1-{NotifyLimits.MaxBatchMessages} messages, not {count}");
        }
    }

    public static NotifyMessage EnsureValid(NotifyMessage message)
    {
        var trimmed = Trim(message);
        var errors = Validate(trimmed);
        if (errors.Count > 0)
        {
            throw NotifyRequestException.Invalid(errors);
        }

        return Deduplicate(trimmed);
    }

    private static void CheckReceivers(List<FieldError> errors, NotifyChannel channel, string field, IReadOnlyList<string> receivers, bool required)
    {
        if (required && receivers.Count == 0)
        {
            errors.Add(new FieldError(field, "must list at least one receiver"));
            return;
        }

        if (receivers.Count > NotifyLimits.MaxReceiversPerList)
        {
            errors.Add(new FieldError(field, $"has {receivers.Count} entries; at most {NotifyLimits.MaxReceiversPerList} are allowed"));
            return;
        }

        for (var i = 0; i < receivers.Count; i++)
        {
            var receiver = receivers[i];
            var reason = receiver.Length == 0 ? "is empty"
                : receiver.Length > NotifyLimits.MaxAddressLength ? $"is longer than {NotifyLimits.MaxAddressLength} characters"
                : HasLineBreakOrControl(receiver) ? "contains a line break or control character"
                : ReceiverSyntax.Check(channel, receiver);
            if (reason is not null)
            {
                errors.Add(new FieldError($"{field}[{i}]", $"'{Printable(receiver)}' {reason}"));
            }
        }
    }

    private static void CheckTitle(List<FieldError> errors, NotifyMessage message)
    {
        var channel = message.Channel;
        var field = WireNames.Title(channel);
        switch (channel)
        {
            case NotifyChannel.Email or NotifyChannel.Rtx when string.IsNullOrWhiteSpace(message.Title):
                errors.Add(new FieldError(field, "is required"));
                return;
            case NotifyChannel.Wechat or NotifyChannel.Sms or NotifyChannel.Wework:
                MustBeEmpty(errors, field, message.Title.Length == 0, channel);
                return;
        }

        var max = channel == NotifyChannel.Voice ? NotifyLimits.MaxVoiceTaskNameLength : NotifyLimits.MaxTitleLength;
        CheckHeaderText(errors, field, message.Title, max);
    }

    private static void CheckBody(List<FieldError> errors, NotifyMessage message)
    {
        var field = WireNames.Body(message.Channel);
        var max = NotifyLimits.MaxBodyLength(message.Channel);
        if (string.IsNullOrWhiteSpace(message.Body))
        {
            errors.Add(new FieldError(field, "is required"));
        }
        else if (message.Body.Length > max)
        {
            errors.Add(new FieldError(field, $"is {message.Body.Length} characters; at most {max} are allowed on {message.Channel.Name()}"));
        }
        else if (message.Body.Contains('\0'))
        {
            // No channel carries NUL, and the record store cannot hold it.
            errors.Add(new FieldError(field, "must not contain U+0000 (NUL)"));
        }
    }

    private static void CheckRobotFields(List<FieldError> errors, NotifyMessage message)
    {
        if (message.Channel != NotifyChannel.Wework)
        {
            MustBeEmpty(errors, "mentionedList", message.MentionedList.Count == 0, message.Channel);
            MustBeEmpty(errors, "mentionedMobileList", message.MentionedMobileList.Count == 0, message.Channel);
            MustBeEmpty(errors, "robot", message.Robot.Length == 0, message.Channel);
            MustBeEmpty(errors, "media", message.Media is null, message.Channel);
            return;
        }

        if (message.Media is { } media)
        {
            CheckMedia(errors, message, media);
        }

        if (!Enum.IsDefined(message.TextType))
        {
            errors.Add(new FieldError("textType", "must be TEXT or MARKDOWN"));
        }

        if (message.Robot.Length > 0 && !RobotNames.IsValid(message.Robot))
        {
            errors.Add(new FieldError("robot", $"'{Printable(message.Robot)}' is not a robot name ({RobotNames.Pattern})"));
        }

        CheckMentions(errors, "mentionedList", message.MentionedList, ReceiverSyntax.IsAccountId, "a WeCom user id");

        // WeCom's markdown message has no mention lists; user ids become <@userid> tags, phone numbers have no such form.
        if (message.TextType == RobotTextType.Markdown && message.MentionedMobileList.Count > 0)
        {
            errors.Add(new FieldError("mentionedMobileList", "is for text messages only: WeCom's markdown messages cannot mention by phone number (use mentionedList)"));
            return;
        }

        CheckMentions(errors, "mentionedMobileList", message.MentionedMobileList, m => m.All(char.IsAsciiDigit) && m.Length is >= 5 and <= 20, "a phone number (5-20 digits)");
    }

    /// <summary>WeCom's image, file and voice messages carry the file and nothing else.</summary>
    private static void CheckMedia(List<FieldError> errors, NotifyMessage message, WeworkMedia media)
    {
        media.Check(errors, "media.kind", "media.fileName", "media.content");
        if (message.TextType != RobotTextType.Text)
        {
            errors.Add(new FieldError("textType", "is for text messages: a media message has no text type"));
        }

        if (message.MentionedList.Count > 0 || message.MentionedMobileList.Count > 0)
        {
            errors.Add(new FieldError(message.MentionedList.Count > 0 ? "mentionedList" : "mentionedMobileList",
                "is for text messages: WeCom's image, file and voice messages cannot mention anyone"));
        }
    }

    private static void CheckMentions(List<FieldError> errors, string field, IReadOnlyList<string> mentions, Func<string, bool> isValid, string what)
    {
        if (mentions.Count > NotifyLimits.MaxMentionedUsers)
        {
            errors.Add(new FieldError(field, $"has {mentions.Count} entries; at most {NotifyLimits.MaxMentionedUsers} are allowed"));
            return;
        }

        for (var i = 0; i < mentions.Count; i++)
        {
            if (mentions[i] != "@all" && !isValid(mentions[i]))
            {
                errors.Add(new FieldError($"{field}[{i}]", $"'{Printable(mentions[i])}' is not {what} or @all"));
            }
        }
    }

    private static void CheckVoiceFields(List<FieldError> errors, NotifyMessage message)
    {
        if (message.Channel != NotifyChannel.Voice)
        {
            MustBeEmpty(errors, "transferReceiver", message.TransferReceiver.Length == 0, message.Channel);
            MustBeEmpty(errors, "recallTime", message.RecallTimes == 0, message.Channel);
            MustBeEmpty(errors, "interval", message.RecallIntervalSeconds == 0, message.Channel);
            return;
        }

        if (message.TransferReceiver.Length > 0 && ReceiverSyntax.Check(NotifyChannel.Voice, message.TransferReceiver) is { } reason)
        {
            errors.Add(new FieldError("transferReceiver", $"'{Printable(message.TransferReceiver)}' {reason}"));
        }

        CheckRange(errors, "recallTime", message.RecallTimes, 0, NotifyLimits.MaxVoiceRecallTimes, "calls");
        CheckRange(errors, "interval", message.RecallIntervalSeconds, 0, NotifyLimits.MaxVoiceRecallIntervalSeconds, "seconds");
    }

    private static void CheckHeaderText(List<FieldError> errors, string field, string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            errors.Add(new FieldError(field, $"is {value.Length} characters; at most {maxLength} are allowed"));
        }
        else if (HasLineBreakOrControl(value))
        {
            errors.Add(new FieldError(field, "must not contain CR, LF or other control characters"));
        }
    }

    private static void CheckRange(List<FieldError> errors, string field, int value, int min, int max, string unit)
    {
        if (value < min)
        {
            errors.Add(new FieldError(field, $"must not be negative (got {value})"));
        }
        else if (value > max)
        {
            errors.Add(new FieldError(field, $"must be at most {max} {unit} (got {value})"));
        }
    }

    private static void MustBeEmpty(List<FieldError> errors, string field, bool isEmpty, NotifyChannel channel)
    {
        if (!isEmpty)
        {
            errors.Add(new FieldError(field, $"is not used by {channel.Name()} messages"));
        }
    }

    private static bool HasLineBreakOrControl(string value) => value.Any(char.IsControl);

    /// <summary>A caller's value for an error message: control characters as '?', at most 80 characters.</summary>
    public static string Printable(string value)
    {
        var cleaned = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return cleaned.Length <= 80 ? cleaned : cleaned[..80] + "…";
    }
}
