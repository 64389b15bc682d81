using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Attention;

namespace Notify.UnitTests.Attention;

public sealed class AttentionBudgetPlannerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly AttentionBudgetPolicy Policy =
        new(Window, new Dictionary<string, int> { ["voice"] = 3, ["rtx"] = 10 }, criticalLevel: 1);

    private static AttentionNotice Notice(string channel, int n, int level = 2) =>
        new(channel, level, $"alert-{n}", $"CPU high {n}", $"https://monitor/alerts/{n}", "monitor", $"msg_{channel}_{n}");

    [Theory]
    [InlineData("voice", 3)]
    [InlineData("rtx", 10)]
    public void Decide_WithinBudget_SendsNow_ThenFolds(string channel, int budget)
    {
        var state = new AttentionState();
        var decisions = Enumerable.Range(0, budget + 2)
            .Select(n => AttentionBudgetPlanner.Decide(state, Policy, Notice(channel, n), Start.AddSeconds(n), $"dig_{n}"))
            .ToList();
        Assert.All(decisions.Take(budget), d => Assert.IsType<SendNow>(d));
        var folds = decisions.Skip(budget).Select(d => Assert.IsType<FoldIntoDigest>(d)).ToList();
        Assert.All(folds, f => Assert.Equal(new FoldIntoDigest($"dig_{budget}", Start + Window), f));
        Assert.Equal(2, state.Digests[channel].Entries.Count);
    }

    [Fact]
    public void Decide_ChannelsHaveSeparateBudgets_AndAnUnlistedChannelIsUnlimited()
    {
        var state = new AttentionState();
        for (var n = 0; n < 3; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), Start, $"dig_v{n}");
        Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 3), Start, "dig_v3"));
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("rtx", 0), Start, "dig_r"));
        Assert.All(Enumerable.Range(0, 50),
            n => Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("mail", n), Start, $"dig_m{n}")));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(0, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void Decide_OverBudget_CriticalLevelSendsNow(int level, bool sendsNow)
    {
        var state = new AttentionState();
        for (var n = 0; n < 3; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), Start, "dig");
        var decision = AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 9, level), Start, "dig");
        Assert.Equal(sendsNow, decision is SendNow);
    }

    [Fact]
    public void Decide_Critical_ConsumesBudget()
    {
        var state = new AttentionState();
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 0, level: 1), Start, "dig"));
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 1), Start, "dig"));
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 2), Start, "dig"));
        Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 3), Start, "dig"));
    }

    [Fact]
    public void Decide_DigestIsDueWhenOneUnitRefills()
    {
        var state = new AttentionState();
        for (var n = 0; n < 3; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), Start.AddMinutes(n * 2), "dig");
        var fold = Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 3), Start.AddMinutes(5), "dig"));
        Assert.Equal(Start + Window, fold.DueAt);
        Assert.Equal(Start + Window, AttentionBudgetPlanner.NextDue(state));
    }

    [Fact]
    public void Decide_SlidingWindow_RefillsAsOldNoticesAge()
    {
        var state = new AttentionState();
        for (var n = 0; n < 3; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), Start.AddMinutes(n * 3), "dig");
        Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 3), Start.AddMinutes(9), "dig"));
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 4), Start.AddMinutes(10), "dig2"));
        Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 5), Start.AddMinutes(11), "dig2"));
    }

    [Fact]
    public void TakeDue_RemovesOnlyDueDigests_AndTheNextWaitsAFullWindow()
    {
        var state = new AttentionState();
        for (var n = 0; n < 4; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), Start, "dig_1");
        Assert.Empty(AttentionBudgetPlanner.TakeDue(state, Start + Window - TimeSpan.FromSeconds(1)));
        var digest = Assert.Single(AttentionBudgetPlanner.TakeDue(state, Start + Window));
        Assert.Equal(("dig_1", "alert-3"), (digest.DigestId, Assert.Single(digest.Entries).AlertId));
        Assert.Null(AttentionBudgetPlanner.NextDue(state));

        // The budget refilled at the window's end: three more go at once, the fourth opens a digest a window after the last.
        var later = Start + Window;
        for (var n = 4; n < 7; n++)
            Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), later, "dig_2"));
        var fold = Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 7), later, "dig_2"));
        Assert.Equal(later + Window, fold.DueAt);
    }

    [Fact]
    public void TakeDue_DigestAfterBudgetRefilledEarly_StillWaitsAWindowAfterThePreviousDigest()
    {
        var state = new AttentionState { LastDigestAt = { ["voice"] = Start.AddMinutes(8) } };
        for (var n = 0; n < 3; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), Start, "dig");
        var fold = Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 3), Start, "dig"));
        Assert.Equal(Start.AddMinutes(18), fold.DueAt);
    }

    /// <summary>
    /// 200 alerts to one person on voice and RTX, one every <paramref name="secondsApart"/> seconds, with due digests
    /// taken as the reminder would: no window holds more than the budget of immediate notices or more than one digest
    /// per channel, and every alert appears in exactly one notice.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(45)]
    public void Storm_200Alerts_BudgetPlusOneDigestPerWindow_EveryAlertOnce(int secondsApart)
    {
        var state = new AttentionState();
        var immediate = new List<(string Channel, DateTimeOffset At, string AlertId)>();
        var digests = new List<(string Channel, DateTimeOffset At, AttentionDigest Digest)>();
        var digestIds = 0;

        void Flush(DateTimeOffset now) =>
            digests.AddRange(AttentionBudgetPlanner.TakeDue(state, now).Select(d => (d.Channel, now, d)));

        var now = Start;
        for (var n = 0; n < 200; n++)
        {
            now = Start.AddSeconds(n * secondsApart);
            while (AttentionBudgetPlanner.NextDue(state) is { } due && due <= now)
                Flush(due);
            foreach (var channel in new[] { "voice", "rtx" })
            {
                var notice = Notice(channel, n);
                if (AttentionBudgetPlanner.Decide(state, Policy, notice, now, $"dig_{++digestIds}") is SendNow)
                    immediate.Add((channel, now, notice.AlertId));
            }
        }
        while (AttentionBudgetPlanner.NextDue(state) is { } due)
            Flush(due);

        foreach (var channel in new[] { "voice", "rtx" })
        {
            var sends = immediate.Where(i => i.Channel == channel).Select(i => i.At).ToList();
            Assert.All(sends, t => Assert.True(sends.Count(s => s >= t && s < t + Window) <= Policy.Budgets[channel]));
            var digestTimes = digests.Where(d => d.Channel == channel).Select(d => d.At).ToList();
            Assert.All(digestTimes, t => Assert.Equal(1, digestTimes.Count(s => s > t - Window && s < t + Window)));

            var alerts = immediate.Where(i => i.Channel == channel).Select(i => i.AlertId)
                .Concat(digests.Where(d => d.Channel == channel).SelectMany(d => d.Digest.Entries).Select(e => e.AlertId))
                .ToList();
            Assert.Equal(Enumerable.Range(0, 200).Select(n => $"alert-{n}").Order(), alerts.Order());
        }
        Assert.NotEmpty(digests);
    }

    [Fact]
    public void Storm_CriticalDuringStorm_GoesOutAtOnce()
    {
        var state = new AttentionState();
        for (var n = 0; n < 100; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", n), Start.AddSeconds(n), "dig");
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice("voice", 100, level: 1), Start.AddSeconds(100), "dig"));
        Assert.Equal(97, state.Digests["voice"].Entries.Count);
    }

    [Fact]
    public void Policy_ZeroBudgetOrWindow_Refused()
    {
        var zeroBudget = Assert.Throws<ArgumentOutOfRangeException>(() => new AttentionBudgetPolicy(Window, new Dictionary<string, int> { ["voice"] = 0 }, criticalLevel: 1));
        Assert.Contains("'voice' must be at least 1", zeroBudget.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AttentionBudgetPolicy(TimeSpan.Zero, new Dictionary<string, int>(), criticalLevel: 1));
    }
}
