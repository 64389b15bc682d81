using Notify.Grains.Receivers;

namespace Notify.UnitTests.Receivers;

public sealed class FrequencyWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void Decide_FirstTime_ReservesAndChangesState()
    {
        var state = new FrequencyLimitState();
        var (decision, changed) = FrequencyWindow.Decide(state, "h1", FiveMinutes, "m1", T0);
        Assert.True(decision.Allowed);
        Assert.True(changed);
        Assert.Equal("m1", state.Entries["h1"].MessageId);
    }

    [Fact]
    public void Decide_SameContentWithinWindow_IsHeldByTheEarlierMessage()
    {
        var state = new FrequencyLimitState();
        FrequencyWindow.Decide(state, "h1", FiveMinutes, "m1", T0);
        var (decision, changed) = FrequencyWindow.Decide(state, "h1", FiveMinutes, "m2", T0.AddMinutes(4));
        Assert.False(decision.Allowed);
        Assert.Equal("m1", decision.HeldBy);
        Assert.Equal(T0, decision.HeldSince);
        Assert.False(changed);
    }

    [Fact]
    public void Decide_SameMessageAgain_IsAllowedWithoutAWrite()
    {
        var state = new FrequencyLimitState();
        FrequencyWindow.Decide(state, "h1", FiveMinutes, "m1", T0);
        var (decision, changed) = FrequencyWindow.Decide(state, "h1", FiveMinutes, "m1", T0.AddMinutes(1));
        Assert.True(decision.Allowed);
        Assert.False(changed);
    }

    [Fact]
    public void Decide_OtherContent_IsAllowed()
    {
        var state = new FrequencyLimitState();
        FrequencyWindow.Decide(state, "h1", FiveMinutes, "m1", T0);
        Assert.True(FrequencyWindow.Decide(state, "h2", FiveMinutes, "m2", T0.AddMinutes(1)).Decision.Allowed);
    }

    [Fact]
    public void Decide_AfterTheWindow_IsAllowedAgain()
    {
        var state = new FrequencyLimitState();
        FrequencyWindow.Decide(state, "h1", FiveMinutes, "m1", T0);
        var (decision, _) = FrequencyWindow.Decide(state, "h1", FiveMinutes, "m2", T0.AddMinutes(5));
        Assert.True(decision.Allowed);
        Assert.Equal("m2", state.Entries["h1"].MessageId);
    }

    [Fact]
    public void Decide_UsesTheAskingMessagesWindow()
    {
        // BK-CI semantics: "not sent within my frequencyLimit", whatever the earlier message's limit was.
        var state = new FrequencyLimitState();
        FrequencyWindow.Decide(state, "h1", TimeSpan.FromMinutes(60), "m1", T0);
        Assert.True(FrequencyWindow.Decide(state, "h1", TimeSpan.FromMinutes(10), "m2", T0.AddMinutes(20)).Decision.Allowed);
        Assert.False(FrequencyWindow.Decide(state, "h1", TimeSpan.FromMinutes(60), "m3", T0.AddMinutes(30)).Decision.Allowed);
    }

    [Fact]
    public void Prune_DropsEntriesOlderThanTheLargestWindow()
    {
        var state = new FrequencyLimitState();
        FrequencyWindow.Decide(state, "old", FiveMinutes, "m1", T0);
        FrequencyWindow.Decide(state, "new", FiveMinutes, "m2", T0.AddMinutes(3));
        Assert.True(FrequencyWindow.Prune(state, T0.AddMinutes(6)));
        Assert.Equal(["new"], state.Entries.Keys);
    }

    [Fact]
    public void Release_OnlyByTheHolder()
    {
        var state = new FrequencyLimitState();
        FrequencyWindow.Decide(state, "h1", FiveMinutes, "m1", T0);
        Assert.False(FrequencyWindow.Release(state, "h1", "m2"));
        Assert.True(FrequencyWindow.Release(state, "h1", "m1"));
        Assert.True(FrequencyWindow.Decide(state, "h1", FiveMinutes, "m2", T0.AddMinutes(1)).Decision.Allowed);
    }
}
