using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Actions;
using Notify.Grains.Actions;

namespace Notify.UnitTests.Actions;

public sealed class NoticeOutcomesTests
{
    [Theory]
    // ways as "status", "status!" for a way that never became a message (failed at submit), "status#" for a way whose
    // notice could not be rendered.
    [InlineData("sent", ActionStatus.Success, null)]
    [InlineData("sent sent sent", ActionStatus.Success, null)]
    [InlineData("sent failed", ActionStatus.PartialSuccess, null)]
    [InlineData("sent partial", ActionStatus.PartialSuccess, null)]
    // Ways failed (a partly sent way failed for some receivers) and none was sent in full.
    [InlineData("partial", ActionStatus.PartialFailure, null)]
    [InlineData("partial failed", ActionStatus.PartialFailure, null)]
    [InlineData("partial failed!", ActionStatus.PartialFailure, null)]
    [InlineData("failed", ActionStatus.Failure, FailureType.ExecuteFailure)]
    [InlineData("failed failed!", ActionStatus.Failure, FailureType.ExecuteFailure)]
    [InlineData("failed failed#", ActionStatus.Failure, FailureType.ExecuteFailure)]
    [InlineData("failed! failed!", ActionStatus.Failure, FailureType.CreateFailure)]
    [InlineData("failed# failed!", ActionStatus.Failure, FailureType.FrameworkCodeFailure)]
    [InlineData("failed#", ActionStatus.Failure, FailureType.FrameworkCodeFailure)]
    // Suppressed and blocked ways are not counted for or against the run.
    [InlineData("sent suppressed", ActionStatus.Success, null)]
    [InlineData("sent blocked", ActionStatus.Success, null)]
    [InlineData("failed blocked", ActionStatus.Failure, FailureType.ExecuteFailure)]
    [InlineData("failed suppressed", ActionStatus.Failure, FailureType.ExecuteFailure)]
    // With nothing counted: suppressed means the content already got through; blocked means nobody may receive it.
    [InlineData("suppressed", ActionStatus.Skipped, null)]
    [InlineData("suppressed blocked", ActionStatus.Skipped, null)]
    [InlineData("blocked blocked", ActionStatus.Blocked, FailureType.Blocked)]
    [InlineData("shielded shielded", ActionStatus.Shield, null)]
    public void Aggregate_FinalWays_GivesTheRunStatus(string ways, ActionStatus status, FailureType? failureType) =>
        Assert.Equal((status, failureType), NoticeOutcomes.Aggregate(Ways(ways), timedOut: false));

    [Theory]
    [InlineData("sent pending")]
    [InlineData("pending")]
    [InlineData("sent sent")]
    public void Aggregate_TimedOut_IsTimeoutFailureWhateverElseHappened(string ways) =>
        Assert.Equal((ActionStatus.Failure, FailureType.Timeout), NoticeOutcomes.Aggregate(Ways(ways), timedOut: true));

    [Fact]
    public void Aggregate_PendingWayWithoutTimeout_Throws() =>
        Assert.Throws<InvalidOperationException>(() => NoticeOutcomes.Aggregate(Ways("sent pending"), timedOut: false));

    [Theory]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.Sent, NoticeWayStatus.Sent)]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.PartiallySent, NoticeWayStatus.PartiallySent)]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.Failed, NoticeWayStatus.Failed)]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.Suppressed, NoticeWayStatus.Suppressed)]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.Blocked, NoticeWayStatus.Blocked)]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.Pending, NoticeWayStatus.Pending)]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.Sending, NoticeWayStatus.Pending)]
    [InlineData(Notify.Grains.Abstractions.Records.MessageStatus.Retrying, NoticeWayStatus.Pending)]
    public void FromMessage_MapsEveryMessageStatus(Notify.Grains.Abstractions.Records.MessageStatus message, NoticeWayStatus expected) =>
        Assert.Equal(expected, NoticeOutcomes.FromMessage(message));

    [Fact]
    public void Apply_SecondCompletion_IsIgnored()
    {
        var way = Ways("pending")[0];
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(NoticeOutcomes.Apply(way, new(way.MessageId!, Notify.Grains.Abstractions.Records.MessageStatus.Failed, way.Reference, 0, 2, 0, 0, "550 no such user"), now));
        Assert.False(NoticeOutcomes.Apply(way, new(way.MessageId!, Notify.Grains.Abstractions.Records.MessageStatus.Sent, way.Reference, 2, 0, 0, 0, null), now));
        Assert.Equal((NoticeWayStatus.Failed, 2, "550 no such user"), (way.Status, way.Failed, way.Error));
    }

    [Fact]
    public void Apply_NonFinalMessage_LeavesTheWayPending()
    {
        var way = Ways("pending")[0];
        Assert.False(NoticeOutcomes.Apply(way, new(way.MessageId!, Notify.Grains.Abstractions.Records.MessageStatus.Retrying, way.Reference, 0, 0, 0, 0, "busy"), DateTimeOffset.UnixEpoch));
        Assert.Equal(NoticeWayStatus.Pending, way.Status);
    }

    private static List<NoticeWayState> Ways(string spec) => spec.Split(' ').Select((token, i) => new NoticeWayState
    {
        NoticeWay = "mail",
        Channel = NotifyChannel.Email,
        Reference = $"action:a/abnormal/1/w{i}",
        MessageId = token.EndsWith('!') || token.EndsWith('#') ? null : $"msg_{i}",
        RenderFailed = token.EndsWith('#'),
        Status = token.TrimEnd('!', '#') switch
        {
            "sent" => NoticeWayStatus.Sent,
            "partial" => NoticeWayStatus.PartiallySent,
            "failed" => NoticeWayStatus.Failed,
            "suppressed" => NoticeWayStatus.Suppressed,
            "blocked" => NoticeWayStatus.Blocked,
            "shielded" => NoticeWayStatus.Shielded,
            _ => NoticeWayStatus.Pending,
        },
    }).ToList();
}
