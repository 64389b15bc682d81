using Notify.Grains.Abstractions;
using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Abstractions.Messages;
using Notify.Grains.Attention;

namespace Notify.UnitTests.Attention;

public sealed class AttentionDigestMessagesTests
{
    private static AttentionDigest Digest(string channel, int entries) => new()
    {
        DigestId = "msg_digest",
        Channel = channel,
        Entries = Enumerable.Range(0, entries)
            .Select(n => new AttentionNotice(channel, 2, $"alert-{n}", $"CPU high on host {n}", n % 2 == 0 ? $"https://monitor/alerts/{n}" : null, "monitor", $"msg_{n}"))
            .ToList(),
    };

    [Theory]
    [InlineData("email", true)]
    [InlineData("rtx", true)]
    [InlineData("voice", true)]
    [InlineData("sms", false)]
    [InlineData("wechat", false)]
    public void Build_IsAnOrdinaryMessageToThePerson_ListingEveryNotice(string channel, bool hasTitle)
    {
        var message = AttentionDigestMessages.Build(Digest(channel, 3), "alice");

        Assert.Empty(NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(message)));
        Assert.Equal(["alice"], message.Receivers);
        Assert.Equal(("monitor", "attention-digest:msg_digest", 0), (message.Source, message.Reference, message.AlertLevel));
        Assert.Equal(hasTitle, message.Title.Length > 0);
        Assert.Equal(
            "3 alert notices held back by your attention budget:\n- CPU high on host 0 (alert alert-0) https://monitor/alerts/0\n"
            + "- CPU high on host 1 (alert alert-1)\n- CPU high on host 2 (alert alert-2) https://monitor/alerts/2",
            message.Body);
    }

    [Fact]
    public void Build_MoreThanTheBodyHolds_ListsWhatFitsAndCountsTheRest()
    {
        var message = AttentionDigestMessages.Build(Digest("sms", 200), "13800000000");

        Assert.True(message.Body.Length <= NotifyLimits.MaxSmsBodyLength, $"{message.Body.Length} characters");
        var listed = message.Body.Split('\n').Count(line => line.StartsWith("- ", StringComparison.Ordinal));
        Assert.EndsWith($"\n… and {200 - listed} more", message.Body);
        Assert.Empty(NotifyMessageValidator.Validate(NotifyMessageValidator.Trim(message)));
    }
}
