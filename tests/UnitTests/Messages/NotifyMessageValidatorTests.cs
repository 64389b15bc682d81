using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Messages;

namespace Notify.UnitTests.Messages;

public sealed class NotifyMessageValidatorTests
{
    private static NotifyMessage Email(Func<NotifyMessage, NotifyMessage>? change = null)
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Email, Receivers = ["a@example.com"], Title = "t", Body = "b" };
        return change is null ? message : change(message);
    }

    private static string Errors(NotifyMessage message) =>
        string.Join(" | ", NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(message)));

    [Fact]
    public void Validate_MinimalEmail_HasNoErrors() => Assert.Empty(NotifyMessageValidator.Validate(Email()));

    public static TheoryData<string, Func<NotifyMessage, NotifyMessage>, string> Invalid => new()
    {
        // field expected in the error, the change, and a fragment of the reason
        { "receivers", m => m with { Receivers = [] }, "at least one receiver" },
        { "receivers[0]", m => m with { Receivers = ["a@@example.com"] }, "not a valid e-mail address" },
        { "receivers[1]", m => m with { Receivers = ["a@example.com", "a@example"] }, "not a valid e-mail address" },
        { "receivers[0]", m => m with { Receivers = ["Bob <b@example.com>"] }, "not a valid e-mail address" },
        { "receivers[0]", m => m with { Receivers = ["b@example.com\r\nBcc: x@example.com"] }, "line break" },
        { "receivers[0]", m => m with { Receivers = ["bad name!"] }, "neither an e-mail address nor a username" },
        { "cc[0]", m => m with { Cc = ["nope@"] }, "not a valid e-mail address" },
        { "bcc[0]", m => m with { Bcc = [""] }, "is empty" },
        { "title", m => m with { Title = "" }, "is required" },
        { "title", m => m with { Title = new string('x', NotifyLimits.MaxTitleLength + 1) }, "at most 512" },
        { "title", m => m with { Title = "Subject\r\nBcc: evil@example.com" }, "CR, LF" },
        { "body", m => m with { Body = " " }, "is required" },
        { "body", m => m with { Body = new string('x', NotifyLimits.MaxEmailBodyLength + 1) }, "at most 1000000" },
        { "body", m => m with { Body = "cpu\0high" }, "U+0000" },
        { "format", m => m with { Format = (EmailFormat)7 }, "TEXT or HTML" },
        { "priority", m => m with { Priority = (NotifyPriority)5 }, "-1 (low), 0 (normal) or 1 (high)" },
        { "frequencyLimit", m => m with { FrequencyLimitMinutes = -1 }, "must not be negative" },
        { "frequencyLimit", m => m with { FrequencyLimitMinutes = NotifyLimits.MaxFrequencyLimitMinutes + 1 }, "at most 10080 minutes" },
        { "delaySeconds", m => m with { DelaySeconds = -5 }, "must not be negative" },
        { "delaySeconds", m => m with { DelaySeconds = NotifyLimits.MaxDelaySeconds + 1 }, "at most 604800 seconds" },
        { "sender", m => m with { Sender = "Dev\nOps" }, "CR, LF" },
        { "source", m => m with { Source = new string('s', 65) }, "at most 64" },
        { "mentionedList", m => m with { MentionedList = ["bob"] }, "not used by email" },
        { "mentionedMobileList", m => m with { MentionedMobileList = ["13800138000"] }, "not used by email" },
        { "robot", m => m with { Robot = "ops" }, "not used by email" },
        { "completionListener", m => m with { CompletionListener = "not a grain id" }, "grain id" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidField_NamesFieldAndReason(string field, Func<NotifyMessage, NotifyMessage> change, string reason)
    {
        var errors = NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(Email(change)));
        Assert.Contains(errors, e => e.Field == field && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TooManyReceivers_IsRejected()
    {
        var receivers = Enumerable.Range(0, NotifyLimits.MaxReceiversPerList + 1).Select(i => $"u{i}@example.com").ToArray();
        Assert.Contains("has 501 entries", Errors(Email(m => m with { Receivers = receivers })));
    }

    [Theory]
    [InlineData(NotifyChannel.Sms, "+8613800138000")]
    [InlineData(NotifyChannel.Sms, "alice")]
    [InlineData(NotifyChannel.Voice, "13800138000")]
    [InlineData(NotifyChannel.Rtx, "zhang.san")]
    [InlineData(NotifyChannel.Wechat, "oAbC-123_xyz")]
    [InlineData(NotifyChannel.Wework, "wrkSFfCgAAxxxx")]
    public void Validate_ChannelAddress_IsAccepted(NotifyChannel channel, string receiver)
    {
        var message = new NotifyMessage
        {
            Channel = channel,
            Receivers = [receiver],
            Title = channel is NotifyChannel.Rtx or NotifyChannel.Voice ? "t" : "",
            Body = "b",
        };
        Assert.Empty(NotifyMessageValidator.Validate(message));
    }

    [Theory]
    [InlineData(NotifyChannel.Sms, "138 0013 8000")]
    [InlineData(NotifyChannel.Voice, "+12")]
    [InlineData(NotifyChannel.Rtx, "has space")]
    [InlineData(NotifyChannel.Wework, "chat/1")]
    public void Validate_BadChannelAddress_IsRejected(NotifyChannel channel, string receiver)
    {
        var message = new NotifyMessage { Channel = channel, Receivers = [receiver], Title = channel == NotifyChannel.Rtx ? "t" : "", Body = "b" };
        Assert.Contains(NotifyMessageValidator.Validate(message), e => e.Field == "receivers[0]");
    }

    [Fact]
    public void Validate_SmsWithTitleOrCc_NamesTheFieldsSmsDoesNotHave()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Sms, Receivers = ["13800138000"], Title = "t", Cc = ["x@example.com"], Body = "b" };
        var errors = NotifyMessageValidator.Validate(message);
        Assert.Contains(errors, e => e.Field == "title" && e.Reason.Contains("not used by sms"));
        Assert.Contains(errors, e => e.Field == "cc" && e.Reason.Contains("not used by sms"));
    }

    [Fact]
    public void Validate_VoiceFields_UseVoiceNames()
    {
        var message = new NotifyMessage
        {
            Channel = NotifyChannel.Voice,
            Receivers = ["13800138000"],
            Title = new string('x', NotifyLimits.MaxVoiceTaskNameLength + 1),
            Body = "",
            RecallTimes = 11,
        };
        var errors = NotifyMessageValidator.Validate(message);
        Assert.Contains(errors, e => e.Field == "taskName" && e.Reason.Contains("at most 200"));
        Assert.Contains(errors, e => e.Field == "content" && e.Reason == "is required");
        Assert.Contains(errors, e => e.Field == "recallTime");
    }

    public static TheoryData<string, Func<NotifyMessage, NotifyMessage>, string> InvalidRobot => new()
    {
        // field expected in the error, the change to a valid text robot message, and a fragment of the reason
        { "mentionedMobileList[1]", m => m with { MentionedMobileList = ["@all", "+8613800138000"] }, "not a phone number (5-20 digits) or @all" },
        { "mentionedMobileList[0]", m => m with { MentionedMobileList = ["1234"] }, "not a phone number" },
        { "mentionedMobileList", m => m with { MentionedMobileList = Enumerable.Range(0, NotifyLimits.MaxMentionedUsers + 1).Select(i => $"1380013{i:D4}").ToArray() }, "at most 100" },
        { "mentionedMobileList", m => m with { TextType = RobotTextType.Markdown, MentionedMobileList = ["13800138000"] }, "text messages only" },
        { "robot", m => m with { Robot = "ops/team" }, "not a robot name" },
        { "robot", m => m with { Robot = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x" }, "not a robot name" },
        { "robot", m => m with { Robot = new string('r', 33) }, "not a robot name" },
    };

    [Theory]
    [MemberData(nameof(InvalidRobot))]
    public void Validate_InvalidRobotField_NamesFieldAndReason(string field, Func<NotifyMessage, NotifyMessage> change, string reason)
    {
        var valid = new NotifyMessage { Channel = NotifyChannel.Wework, Receivers = ["chat1"], Body = "b" };
        var errors = NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(change(valid)));
        Assert.Contains(errors, e => e.Field == field && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RobotNameAndMobileMentions_AreAccepted() =>
        Assert.Empty(NotifyMessageValidator.Validate(new NotifyMessage
        {
            Channel = NotifyChannel.Wework, Receivers = ["chat1"], Body = "b", Robot = "ops-2_a", MentionedMobileList = ["13800138000", "@all"],
        }));

    [Fact]
    public void Validate_RobotMentions_AllowAllAndRejectBadIds()
    {
        var message = new NotifyMessage { Channel = NotifyChannel.Wework, Receivers = ["chat1"], Body = "b", MentionedList = ["@all", "bad id"] };
        var errors = NotifyMessageValidator.Validate(message);
        Assert.Equal("mentionedList[1]", Assert.Single(errors).Field);
    }

    [Fact]
    public void EnsureValid_ReportsEveryError_AndAcceptsNothing()
    {
        var exception = Assert.Throws<NotifyRequestException>(() =>
            NotifyMessageValidator.EnsureValid(Email(m => m with { Receivers = [], Title = "", DelaySeconds = -1 })));
        Assert.Equal(RequestErrorKind.Invalid, exception.Kind);
        Assert.Equal(["receivers", "title", "delaySeconds"], exception.Errors.Select(e => e.Field));
    }

    [Fact]
    public void EnsureValid_TrimsAndDeduplicatesAcrossLists_KeepingTheFirst()
    {
        var message = NotifyMessageValidator.EnsureValid(Email(m => m with
        {
            Receivers = [" a@example.com ", "b@example.com", "A@example.com"],
            Cc = ["b@example.com", "c@example.com"],
            Bcc = ["c@example.com", "d@example.com"],
        }));

        Assert.Equal(["a@example.com", "b@example.com"], message.Receivers);
        Assert.Equal(["c@example.com"], message.Cc);
        Assert.Equal(["d@example.com"], message.Bcc);
    }

    [Fact]
    public void Validate_ErrorIndexes_PointAtTheCallersEntries()
    {
        // A duplicate before the bad entry must not shift the index the error reports.
        var errors = NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(Email(m => m with { Receivers = ["a@example.com", "a@example.com", "bad@"] })));
        Assert.Equal("receivers[2]", Assert.Single(errors).Field);
    }
}
