using Notify.Grains.Abstractions.Attention;
using Notify.Grains.Attention;

namespace Notify.UnitTests.Attention;

/// <summary>Quiet hours per person, in their time zone: when a quiet period ends, and what the planner does within one.</summary>
public sealed class AttentionQuietHoursTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly AttentionBudgetPolicy Policy = new(Window, new Dictionary<string, int> { ["voice"] = 3 }, criticalLevel: 1);

    private static QuietHours Quiet(string start, string end, string zone) =>
        new(TimeOnly.Parse(start), TimeOnly.Parse(end), TimeZoneInfo.FindSystemTimeZoneById(zone));

    private static AttentionNotice Notice(int n, int level = 2) =>
        new("voice", level, $"alert-{n}", $"CPU high {n}", null, "monitor", $"msg_{n}");

    [Theory]
    // Wrapping past midnight, Berlin in winter (UTC+1).
    [InlineData("22:00", "07:00", "Europe/Berlin", "2026-11-23T22:30:00Z", "2026-11-24T06:00:00Z")]
    [InlineData("22:00", "07:00", "Europe/Berlin", "2026-11-23T01:00:00Z", "2026-11-23T06:00:00Z")]
    [InlineData("22:00", "07:00", "Europe/Berlin", "2026-11-23T21:00:00Z", "2026-11-24T06:00:00Z")]
    [InlineData("22:00", "07:00", "Europe/Berlin", "2026-11-23T06:00:00Z", null)]
    [InlineData("22:00", "07:00", "Europe/Berlin", "2026-11-23T11:00:00Z", null)]
    [InlineData("22:00", "07:00", "Europe/Berlin", "2026-11-23T20:59:59Z", null)]
    // Within one day, Shanghai (UTC+8).
    [InlineData("13:00", "14:00", "Asia/Shanghai", "2026-11-23T05:30:00Z", "2026-11-23T06:00:00Z")]
    [InlineData("13:00", "14:00", "Asia/Shanghai", "2026-11-23T06:00:00Z", null)]
    // West of UTC: 23:00 in New York (UTC−5) is 04:00 UTC the next day; the quiet period ends at 07:00 local.
    [InlineData("22:00", "07:00", "America/New_York", "2026-11-24T04:00:00Z", "2026-11-24T12:00:00Z")]
    // Berlin springs forward at 02:00 on 29 March 2026: 02:30 never happens, so the quiet period ends at 03:00 (UTC+2).
    [InlineData("22:00", "02:30", "Europe/Berlin", "2026-03-28T22:00:00Z", "2026-03-29T01:00:00Z")]
    // Berlin falls back at 03:00 on 25 October 2026: 02:30 happens twice; the quiet period ends at the first.
    [InlineData("22:00", "02:30", "Europe/Berlin", "2026-10-24T21:00:00Z", "2026-10-25T00:30:00Z")]
    public void EndOfQuietAt_IsTheLocalEndOfTheQuietPeriodHoldingNow(string start, string end, string zone, string now, string? expected)
    {
        var quietEnd = Quiet(start, end, zone).EndOfQuietAt(DateTimeOffset.Parse(now));
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected), quietEnd);
    }

    [Fact]
    public void QuietHours_StartingWhenTheyEnd_Refused()
    {
        var refused = Assert.Throws<ArgumentException>(() => Quiet("22:00", "22:00", "Europe/Berlin"));
        Assert.Contains("different times (both 22:00)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_DuringQuietHours_NonCriticalFoldsUntilTheEnd_CriticalGoesAtOnce()
    {
        var quiet = Quiet("22:00", "07:00", "Europe/Berlin");
        var night = DateTimeOffset.Parse("2026-11-23T23:00:00Z");
        var morning = DateTimeOffset.Parse("2026-11-24T06:00:00Z");
        var state = new AttentionState();

        var first = Assert.IsType<FoldIntoDigest>(AttentionBudgetPlanner.Decide(state, Policy, Notice(0), night, "dig_1", quiet));
        Assert.Equal(new FoldIntoDigest("dig_1", morning), first);
        Assert.Equal(first, AttentionBudgetPlanner.Decide(state, Policy, Notice(1), night.AddHours(1), "dig_2", quiet));
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice(2, level: 1), night.AddHours(2), "dig_3", quiet));

        Assert.Equal(morning, AttentionBudgetPlanner.NextDue(state));
        Assert.Empty(AttentionBudgetPlanner.TakeDue(state, morning.AddSeconds(-1), quiet));
        var digest = Assert.Single(AttentionBudgetPlanner.TakeDue(state, morning, quiet));
        Assert.Equal(["alert-0", "alert-1"], digest.Entries.Select(e => e.AlertId));

        // Awake again: the budget applies as it does without quiet hours (the fatal notice at night counts in its window only).
        Assert.IsType<SendNow>(AttentionBudgetPlanner.Decide(state, Policy, Notice(3), morning, "dig_4", quiet));
    }

    [Fact]
    public void TakeDue_ADigestComingDueDuringQuietHours_WaitsForTheirEnd()
    {
        var quiet = Quiet("22:00", "07:00", "Europe/Berlin");
        var evening = DateTimeOffset.Parse("2026-11-23T20:55:00Z");
        var morning = DateTimeOffset.Parse("2026-11-24T06:00:00Z");
        var state = new AttentionState();
        for (var n = 0; n < 4; n++)
            AttentionBudgetPlanner.Decide(state, Policy, Notice(n), evening, $"dig_{n}", quiet);
        Assert.Equal(evening + Window, AttentionBudgetPlanner.NextDue(state));

        // Due at 22:05 local, inside the quiet period: nothing goes out, and the digest moves to its end.
        Assert.Empty(AttentionBudgetPlanner.TakeDue(state, evening + Window, quiet));
        Assert.Equal(morning, AttentionBudgetPlanner.NextDue(state));
        Assert.Equal("alert-3", Assert.Single(Assert.Single(AttentionBudgetPlanner.TakeDue(state, morning, quiet)).Entries).AlertId);
    }

    [Fact]
    public void Decide_OutsideQuietHours_IsTheBudgetAlone()
    {
        var quiet = Quiet("22:00", "07:00", "Europe/Berlin");
        var noon = DateTimeOffset.Parse("2026-11-23T11:00:00Z");
        var state = new AttentionState();
        var decisions = Enumerable.Range(0, 4).Select(n => AttentionBudgetPlanner.Decide(state, Policy, Notice(n), noon, $"dig_{n}", quiet)).ToList();
        Assert.All(decisions.Take(3), d => Assert.IsType<SendNow>(d));
        Assert.Equal(new FoldIntoDigest("dig_3", noon + Window), decisions[3]);
    }
}
