using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Attention;
using Notify.Grains.Delivery;

namespace Notify.UnitTests.Attention;

/// <summary>Which messages the attention stage looks at, and what a held receiver's record says.</summary>
public sealed class AttentionStageTests
{
    private static readonly AttentionOptions On = new() { Enabled = true };

    [Theory]
    [InlineData(true, 2, NotifyChannel.Email, true)]
    [InlineData(true, 1, NotifyChannel.Voice, true)]
    [InlineData(false, 2, NotifyChannel.Email, false)]
    [InlineData(true, 0, NotifyChannel.Email, false)]
    [InlineData(true, 2, NotifyChannel.Wework, false)]
    public void Applies_OnlyToAlertNoticesToPeople_WhileOn(bool enabled, int alertLevel, NotifyChannel channel, bool applies)
    {
        var message = new NotifyMessage { Channel = channel, AlertLevel = alertLevel };
        Assert.Equal(applies, AttentionStage.Applies(new AttentionOptions { Enabled = enabled }, message));
    }

    [Fact]
    public void Reason_NamesTheDigestMessageAndWhenItIsDue() =>
        Assert.Equal(
            "folded into digest msg_d1, due at 2026-11-23 00:10:00Z",
            AttentionStage.Reason(new FoldIntoDigest("msg_d1", new DateTimeOffset(2026, 11, 23, 0, 10, 0, TimeSpan.Zero))));

    [Fact]
    public void PersonKey_IsPerTenant_ByUsernameAcrossChannels_ElseByAddress()
    {
        Assert.Equal(AttentionKeys.Person("monitor", NotifyChannel.Email, "Alice", "alice@example.com"), AttentionKeys.Person("monitor", NotifyChannel.Sms, "alice", "13800000000"));
        Assert.NotEqual(AttentionKeys.Person("monitor", NotifyChannel.Email, "alice", "a@x"), AttentionKeys.Person("ci", NotifyChannel.Email, "alice", "a@x"));
        Assert.Equal(AttentionKeys.Person("monitor", NotifyChannel.Email, null, "Bob@Example.com"), AttentionKeys.Person("monitor", NotifyChannel.Email, "", "bob@example.com"));
        Assert.NotEqual(AttentionKeys.Person("monitor", NotifyChannel.Rtx, null, "alice"), AttentionKeys.Person("monitor", NotifyChannel.Rtx, "alice", "wx-alice"));
    }
}
