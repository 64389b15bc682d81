using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

public sealed class ActionNoticeMessagesTests
{
    private const string Listener = "actioninstance/act:a1";
    private static readonly ActionAlert Alert = new() { Id = "alert-7", Name = "CPU high", Level = 2 };

    [Theory]
    [InlineData("mail", true)]
    [InlineData("rtx", true)]
    [InlineData("voice", true)]
    [InlineData("sms", false)]
    [InlineData("weixin", false)]
    [InlineData("wxwork-bot|chat-1", false)]
    public async Task Build_EveryWay_IsAMessageThePipelineAccepts(string text, bool hasTitle)
    {
        var way = NoticeWay.Parse(text);
        var notice = await Render(way, NotifyStep.Abnormal, 3);
        var receivers = way.IsRobot ? new[] { way.ChatId } : ["alice", "bob"];
        var message = ActionNoticeMessages.Build(notice, way, receivers, "monitor", "action:a1/abnormal/3/" + way, Listener, frequencyLimitMinutes: 0, Alert, "a1");

        Assert.Empty(NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(message)));
        Assert.Equal((way.Channel, hasTitle, NotifyPriority.High, "monitor"), (message.Channel, message.Title.Length > 0, message.Priority, message.Source));
        Assert.Equal((Listener, "action:a1/abnormal/3/" + way), (message.CompletionListener, message.Reference));
        Assert.Contains("CPU high", message.Body);
        Assert.Equal((2, "alert-7", "CPU high", "a1"), (message.AlertLevel, message.AlertId, message.AlertName, message.ActionId));
    }

    [Fact]
    public void Build_FrequencyLimit_IsTheMessagesSoThePipelineSuppressesRepeatedContent()
    {
        var message = ActionNoticeMessages.Build(new RenderedNotice("t", "b"), NoticeWay.Parse("mail"), ["alice"], "monitor", "r", Listener, frequencyLimitMinutes: 30, Alert, "a1");
        Assert.Equal(30, message.FrequencyLimitMinutes);
        Assert.Empty(NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(message)));
    }

    [Fact]
    public void Build_BodyOverTheChannelLimit_IsCutAndTheCutRecorded()
    {
        var notice = new RenderedNotice("t", new string('x', 5000));
        var message = ActionNoticeMessages.Build(notice, NoticeWay.Parse("sms"), ["alice"], "monitor", "r", Listener, frequencyLimitMinutes: 0, Alert, "a1");
        Assert.Equal(NotifyLimits.MaxSmsBodyLength, message.Body.Length);
        Assert.EndsWith("…", message.Body);
        Assert.Equal(["body cut from 5000 to 1000 characters"], message.Adjustments);
    }

    [Fact]
    public void Build_TitleWithLineBreaks_IsOneLine()
    {
        var message = ActionNoticeMessages.Build(new RenderedNotice("CPU\nhigh\t", "b"), NoticeWay.Parse("mail"), ["alice"], "monitor", "r", Listener, frequencyLimitMinutes: 0, Alert, "a1");
        Assert.Equal("CPU high", message.Title);
    }

    [Theory]
    [InlineData(0, "action:a1/recovered/4/wxwork-bot|chat-1")]
    [InlineData(2, "action:a1/recovered/4/wxwork-bot|chat-1/retry-2")]
    public void Reference_NamesInstanceStepExecutionWayAndRetry(int retryTimes, string expected) =>
        Assert.Equal(expected, ActionNoticeMessages.Reference("a1", NotifyStep.Recovered, 4, retryTimes, NoticeWay.Parse("wxwork-bot|chat-1")));

    [Fact]
    public void Reference_LongestPossible_FitsTheMessageLimit()
    {
        var way = NoticeWay.Parse("wxwork-bot|" + new string('c', 128));
        var reference = ActionNoticeMessages.Reference(new string('a', ActionLimits.MaxIdLength), NotifyStep.Recovered, int.MaxValue, ActionLimits.MaxRetryTimes, way);
        Assert.True(reference.Length <= NotifyLimits.MaxReferenceLength, $"{reference.Length} characters");
    }

    [Fact]
    public void RequestId_IsStablePerReferenceAndAcceptedAsAnIdempotencyKey()
    {
        var id = ActionNoticeMessages.RequestId("action:a1/abnormal/1/mail");
        Assert.Equal(id, ActionNoticeMessages.RequestId("action:a1/abnormal/1/mail"));
        Assert.NotEqual(id, ActionNoticeMessages.RequestId("action:a1/abnormal/2/mail"));
        Assert.InRange(id.Length, 1, 128);
    }

    [Theory]
    [InlineData(NotifyStep.Abnormal, 1, "[ALERT][fatal] CPU high", "The alert is abnormal.")]
    [InlineData(NotifyStep.Abnormal, 3, "[REPEAT 2][fatal] CPU high", "repeat notice 2")]
    [InlineData(NotifyStep.Ack, 4, "[ACKNOWLEDGED][fatal] CPU high", "no further notices")]
    [InlineData(NotifyStep.Recovered, 4, "[RECOVERED][fatal] CPU high", "has recovered")]
    [InlineData(NotifyStep.Closed, 4, "[CLOSED][fatal] CPU high", "was closed")]
    public async Task PlainTextRenderer_EachReason_IsNamedInTitleAndBody(NotifyStep step, int executeTimes, string title, string sentence)
    {
        var notice = await Render(NoticeWay.Parse("mail"), step, executeTimes);
        Assert.Equal(title, notice.Title);
        Assert.Contains(sentence, notice.Body);
        Assert.Contains("host=h1", notice.Body);
        Assert.Contains("cpu 95%", notice.Body);
        Assert.Contains("2026-11-23 00:00:00Z", notice.Body);
    }

    private static ValueTask<RenderedNotice> Render(NoticeWay way, NotifyStep step, int executeTimes) =>
        new PlainTextActionNoticeRenderer().RenderAsync(
            new ActionNoticeContext("a1", ActionRequests.Design().Alert, step, ActionNoticeContext.ReasonFor(step, executeTimes), executeTimes, 0, way),
            CancellationToken.None);
}
